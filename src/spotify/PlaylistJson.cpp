// Playlists in Spotify's JSON (spotify/SpotifyJson.h): the list, one playlist, and its items' URIs.
#include "spotify/SpotifyJson.h"

#include "core/JsonFields.h"
#include "spotify/JsonReading.h"

namespace s2m {

using namespace json_reading;

namespace {

// A SimplifiedPlaylistObject (or a PlaylistObject) as the bridge keeps it.
Playlist playlist_of(const Json& item, const std::string& path) {
    Playlist playlist;
    playlist.uri = opt_string(item, "uri", path).value_or("");
    playlist.name = opt_string(item, "name", path).value_or("");
    if (const Json* owner = opt_object(item, "owner", path)) {
        playlist.owner_id = opt_string(*owner, "id", path + ".owner");
        playlist.owner = opt_string(*owner, "display_name", path + ".owner");
        if (!playlist.owner) playlist.owner = playlist.owner_id;
    }
    playlist.collaborative = opt_bool(item, "collaborative", path).value_or(false);
    // 2026 reference: `items` holds the count; `tracks` is the deprecated twin.
    const Json* count = opt_object(item, "items", path);
    if (!count) count = opt_object(item, "tracks", path);
    if (count) {
        auto total = opt_int(*count, "total", path + ".items");
        if (total) playlist.tracks = static_cast<int>(*total);
    }
    return playlist;
}

}  // namespace

Result<PlaylistPage> parse_playlist_page(std::string_view body) {
    return map_body<PlaylistPage>(body, [](const Json& root) {
        PlaylistPage page;
        const Json* items = opt_array(root, "items", "");
        if (!items) throw FieldError("items: missing");
        for (size_t i = 0; i < items->size(); ++i) {
            const Json& item = (*items)[i];
            if (item.is_null()) continue;  // the reference allows null entries
            Playlist playlist = playlist_of(item, "items[" + std::to_string(i) + "]");
            if (!playlist.uri.empty()) page.items.push_back(std::move(playlist));
        }
        page.next = opt_string(root, "next", "");
        page.total = static_cast<int>(opt_int(root, "total", "").value_or(0));
        return page;
    });
}

Result<Playlist> parse_playlist(std::string_view body) {
    return map_body<Playlist>(body, [](const Json& root) {
        Playlist playlist = playlist_of(root, "");
        if (playlist.uri.empty()) throw FieldError("uri: missing");
        return playlist;
    });
}

Result<PlaylistItemUris> parse_playlist_item_uris(std::string_view body) {
    return map_body<PlaylistItemUris>(body, [](const Json& root) {
        PlaylistItemUris page;
        const Json* items = opt_array(root, "items", "");
        if (!items) throw FieldError("items: missing");
        for (size_t i = 0; i < items->size(); ++i) {
            if ((*items)[i].is_null()) continue;
            std::string path = "items[" + std::to_string(i) + "]";
            const Json* item = opt_object((*items)[i], "item", path);
            if (!item) item = opt_object((*items)[i], "track", path);  // the deprecated twin
            if (auto uri = item ? opt_string(*item, "uri", path + ".item") : std::nullopt)
                page.uris.push_back(*uri);
        }
        page.more = opt_string(root, "next", "").has_value();
        return page;
    });
}

}  // namespace s2m
