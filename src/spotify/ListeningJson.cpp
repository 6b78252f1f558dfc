// Listening data in Spotify's JSON (spotify/SpotifyJson.h): get-recently-played (a
// CursorPagingPlayHistoryObject) and get-users-top-tracks / -artists (PagingObjects).
#include "spotify/SpotifyJson.h"

#include "core/JsonFields.h"
#include "spotify/JsonReading.h"

namespace s2m {

using namespace json_reading;

namespace {

// The `items` of a paging object; every listing has one, so a body without it is not Spotify's.
const Json& items_of(const Json& root) {
    const Json* items = opt_array(root, "items", "");
    if (!items) throw FieldError("items: missing");
    return *items;
}

}  // namespace

Result<std::vector<PlayedItem>> parse_recently_played(std::string_view body) {
    return map_body<std::vector<PlayedItem>>(body, [](const Json& root) {
        std::vector<PlayedItem> played;
        const Json& items = items_of(root);
        for (size_t i = 0; i < items.size(); ++i) {
            std::string path = "items[" + std::to_string(i) + "]";
            const Json* track = opt_object(items[i], "track", path);
            if (!track) continue;  // a track Spotify no longer has
            auto played_at = opt_string(items[i], "played_at", path);
            if (!played_at) throw FieldError(path + ".played_at: missing");
            Track item = read_item(*track);
            if (!item.uri.empty()) played.push_back(PlayedItem{*played_at, std::move(item)});
        }
        return played;
    });
}

Result<std::vector<Track>> parse_top_tracks(std::string_view body) {
    return map_body<std::vector<Track>>(body, [](const Json& root) {
        std::vector<Track> tracks;
        const Json& items = items_of(root);
        for (const Json& entry : items) {
            if (entry.is_null()) continue;
            Track item = read_item(entry);
            if (!item.uri.empty()) tracks.push_back(std::move(item));
        }
        return tracks;
    });
}

Result<std::vector<TopArtist>> parse_top_artists(std::string_view body) {
    return map_body<std::vector<TopArtist>>(body, [](const Json& root) {
        std::vector<TopArtist> artists;
        const Json& items = items_of(root);
        for (size_t i = 0; i < items.size(); ++i) {
            if (items[i].is_null()) continue;
            std::string path = "items[" + std::to_string(i) + "]";
            TopArtist artist{opt_string(items[i], "uri", path).value_or(""),
                             opt_string(items[i], "name", path).value_or("")};
            if (!artist.uri.empty()) artists.push_back(std::move(artist));
        }
        return artists;
    });
}

}  // namespace s2m
