#include "LibraryApi.h"

#include <mutex>

#include "ScopeCheck.h"
#include "SpokenWord.h"
#include "SpotifyJson.h"
#include "WebApi.h"

namespace fake_spotify {

namespace {

// What the fake says for when an item was saved: one fixed moment, as Spotify's format has it.
constexpr char kAddedAt[] = "2024-05-17T12:00:00Z";

// The library's URIs of one type ("spotify:<type>:…"), in URI order.
std::vector<std::string> library_of(const User& user, const std::string& type) {
    std::vector<std::string> uris;
    const std::string prefix = "spotify:" + type + ":";
    for (const auto& uri : user.library)
        if (uri.starts_with(prefix)) uris.push_back(uri);
    return uris;
}

// An ArtistObject for an artist id: its name from the catalogue's items, else a made-up one.
json artist_object(const World& world, const std::string& id, const std::string& base) {
    std::string name = "Artist " + id;
    for (const auto& [uri, item] : world.catalogue())
        for (const auto& artist : item.artists)
            if (artist.id == id) name = artist.name;
    return {{"external_urls", external_urls("artist", id)},
            {"followers", {{"href", nullptr}, {"total", 1000}}},
            {"genres", json::array()},
            {"href", base + "/v1/artists/" + id},
            {"id", id},
            {"images", image_list("/image/" + id, base)},
            {"name", name},
            {"popularity", 50},
            {"type", "artist"},
            {"uri", "spotify:artist:" + id}};
}

}  // namespace

void LibraryApi::register_routes(Router& router) {
    router.add("GET", "/v1/me/tracks", [this](Call& c) { saved_tracks(c); });
    router.add("GET", "/v1/me/albums", [this](Call& c) { saved_objects(c, "album"); });
    router.add("GET", "/v1/me/shows", [this](Call& c) { saved_objects(c, "show"); });
    router.add("GET", "/v1/me/audiobooks", [this](Call& c) { saved_objects(c, "audiobook"); });
    router.add("GET", "/v1/me/following", [this](Call& c) { followed(c); });
}

// PagingSavedTrackObject: Liked Songs, newest first.
void LibraryApi::saved_tracks(Call& call) {
    std::lock_guard lock(world_.mutex());
    User& user = require_scope(world_, call, "user-library-read");
    int64_t limit = query_int(call, "limit", 20, 1, 50);
    int64_t offset = query_int(call, "offset", 0, 0, 100000);
    json items = json::array();
    for (auto i = static_cast<size_t>(offset);
         i < user.liked.size() && items.size() < static_cast<size_t>(limit); ++i) {
        const Item& track = world_.ensure_item(user.liked[i]);
        items.push_back(
            {{"added_at", kAddedAt}, {"track", item_json(world_, track, call.base_url)}});
    }
    send_json(call.res, 200,
              paging_json(call.base_url, "/v1/me/tracks", items, offset, limit, user.liked.size()));
}

// PagingSavedAlbumObject / PagingSavedShowObject / PagingSavedAudiobookObject.
void LibraryApi::saved_objects(Call& call, const std::string& type) {
    std::lock_guard lock(world_.mutex());
    User& user = require_scope(world_, call, "user-library-read");
    int64_t limit = query_int(call, "limit", 20, 1, 50);
    int64_t offset = query_int(call, "offset", 0, 0, 100000);
    std::vector<std::string> uris = library_of(user, type);
    json items = json::array();
    for (auto i = static_cast<size_t>(offset);
         i < uris.size() && items.size() < static_cast<size_t>(limit); ++i) {
        std::string id = uris[i].substr(("spotify:" + type + ":").size());
        std::optional<json> object;
        if (type == "album") object = album_json(world_, id, call.base_url);
        if (type == "show") {
            object = show_json(world_, id, call.base_url);
            if (object) object->erase("episodes");  // SimplifiedShowObject
        }
        if (type == "audiobook") object = audiobook_json(world_, id, call.base_url);
        // Something the catalogue does not have any more: listed as null, as Spotify may.
        items.push_back({{"added_at", kAddedAt}, {type, object ? *object : json(nullptr)}});
    }
    send_json(
        call.res, 200,
        paging_json(call.base_url, "/v1/me/" + type + "s", items, offset, limit, uris.size()));
}

// CursorPagedArtists: the followed artists after the cursor (the last id of the page before).
void LibraryApi::followed(Call& call) {
    std::lock_guard lock(world_.mutex());
    User& user = require_scope(world_, call, "user-follow-read");
    if (call.param("type").value_or("") != "artist") throw ApiError(400, "type must be artist");
    int64_t limit = query_int(call, "limit", 20, 1, 50);
    std::string after = call.param("after").value_or("");
    std::vector<std::string> ids;
    for (const auto& uri : library_of(user, "artist")) ids.push_back(uri.substr(15));
    json items = json::array();
    size_t i = 0;
    while (i < ids.size() && !after.empty() && ids[i] <= after) ++i;
    for (; i < ids.size() && items.size() < static_cast<size_t>(limit); ++i)
        items.push_back(artist_object(world_, ids[i], call.base_url));
    bool more = i < ids.size();
    std::string last = items.empty() ? "" : items.back()["id"].get<std::string>();
    auto page = [&](const std::string& cursor) {
        return call.base_url + "/v1/me/following?type=artist" +
               (cursor.empty() ? "" : "&after=" + cursor) + "&limit=" + std::to_string(limit);
    };
    send_json(call.res, 200,
              {{"artists",
                {{"href", page(after)},
                 {"limit", limit},
                 {"next", more ? json(page(last)) : json(nullptr)},
                 {"cursors", {{"after", more ? json(last) : json(nullptr)}, {"before", nullptr}}},
                 {"total", ids.size()},
                 {"items", items}}}});
}

}  // namespace fake_spotify
