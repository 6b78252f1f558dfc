#include "WebApi.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include "ScopeCheck.h"
#include "SpotifyJson.h"

namespace fake_spotify {

namespace {

constexpr size_t kMaxLibraryUris = 40;
constexpr size_t kMaxTrackIds = 50;

bool is_base62(const std::string& id) {
    return !id.empty() &&
           std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
}

// The `uris` list of the library endpoints, validated as the reference describes.
std::vector<std::string> library_uris(const Call& call, bool allow_artist) {
    auto text = call.param("uris");
    if (!text || text->empty()) throw ApiError(400, "Missing required parameter: uris");
    auto uris = split(*text, ',');
    if (uris.size() > kMaxLibraryUris) throw ApiError(400, "Too many uris requested");
    for (const auto& uri : uris) {
        auto parts = split_uri(uri);
        if (!parts) throw ApiError(400, "Invalid uri: " + uri);
        static const char* types[] = {"track",     "album", "episode", "show",
                                      "audiobook", "user",  "playlist"};
        bool supported =
            std::find(std::begin(types), std::end(types), parts->first) != std::end(types) ||
            (allow_artist && parts->first == "artist");
        if (!supported) throw ApiError(400, "Unsupported uri type: " + uri);
    }
    return uris;
}

// Saved tracks are Liked Songs and saved episodes Your Episodes (both newest first); the rest
// is a set.
std::vector<std::string>* ordered_list(User& user, const std::string& uri) {
    if (uri.starts_with("spotify:track:")) return &user.liked;
    if (uri.starts_with("spotify:episode:")) return &user.saved_episodes;
    return nullptr;
}

void save_uri(World& world, User& user, const std::string& uri, bool save) {
    std::vector<std::string>* list = ordered_list(user, uri);
    if (!list) {
        if (save)
            user.library.insert(uri);
        else
            user.library.erase(uri);
        return;
    }
    auto it = std::find(list->begin(), list->end(), uri);
    if (save && it == list->end()) {
        world.ensure_item(uri);
        list->insert(list->begin(), uri);  // newest first
    } else if (!save && it != list->end()) {
        list->erase(it);
    }
}

bool contains_uri(User& user, const std::string& uri) {
    if (const auto* list = ordered_list(user, uri)) {
        return std::find(list->begin(), list->end(), uri) != list->end();
    }
    return user.library.count(uri) > 0;
}

void send_empty_ok(Call& call) {
    call.res.status = 200;
    call.res.body.clear();
}

}  // namespace

User& require_user(World& world, Call& call) {
    std::string authorization = call.req.get_header_value("Authorization");
    if (authorization.empty()) throw ApiError(401, "No token provided");
    if (!authorization.starts_with("Bearer ")) {
        throw ApiError(400, "Only valid bearer authentication supported");
    }
    AccessCheck check = AccessCheck::Invalid;
    User* user = world.authenticate(authorization.substr(7), check);
    if (check == AccessCheck::Expired) throw ApiError(401, "The access token expired");
    if (!user) throw ApiError(401, "Invalid access token");
    call.user = user->id;
    return *user;
}

void WebApi::register_routes(Router& router) {
    router.add("GET", "/v1/me", [this](Call& c) { me(c); });
    router.add("GET", "/v1/me/playlists", [this](Call& c) { my_playlists(c); });
    router.add("GET", "/v1/playlists/([^/]+)", [this](Call& c) { playlist(c); });
    router.add("GET", "/v1/albums/([^/]+)", [this](Call& c) { album(c); });
    router.add("PUT", "/v1/me/library", [this](Call& c) { save_library(c, true); });
    router.add("DELETE", "/v1/me/library", [this](Call& c) { save_library(c, false); });
    router.add("GET", "/v1/me/library/contains", [this](Call& c) { library_contains(c); });
    router.add("PUT", "/v1/me/tracks", [this](Call& c) { save_tracks(c, true); });
    router.add("DELETE", "/v1/me/tracks", [this](Call& c) { save_tracks(c, false); });
    router.add("GET", "/v1/me/tracks/contains", [this](Call& c) { tracks_contain(c); });
    router.add("GET", "/image/([A-Za-z0-9_-]+)", [](Call& c) { cover_image(c); });
}

// Spotify's covers live on a public image host (i.scdn.co/image/<id>), fetched without a token.
// The fake serves a few deterministic bytes per id and size instead of a real picture: JPEG's
// start and end markers around a comment that names the cover, so a test can tell covers apart.
void WebApi::cover_image(Call& call) {
    std::string size = call.param("size").value_or("640");
    std::string comment = "fake cover " + call.group(1) + " " + size;
    std::string bytes = "\xFF\xD8\xFF\xFE";
    size_t length = comment.size() + 2;
    bytes += static_cast<char>((length >> 8) & 0xFF);
    bytes += static_cast<char>(length & 0xFF);
    bytes += comment + "\xFF\xD9";
    call.res.status = 200;
    call.res.set_content(bytes, "image/jpeg");
}

void WebApi::me(Call& call) {
    std::lock_guard lock(world_.mutex());
    send_json(call.res, 200, private_user_json(require_user(world_, call), call.base_url));
}

void WebApi::my_playlists(Call& call) {
    std::lock_guard lock(world_.mutex());
    User& user = require_user(world_, call);
    int64_t limit = query_int(call, "limit", 20, 1, 50);
    int64_t offset = query_int(call, "offset", 0, 0, 100000);
    auto total = static_cast<int64_t>(user.playlists.size());
    json items = json::array();
    for (int64_t i = offset; i < std::min(total, offset + limit); ++i) {
        auto ctx = world_.context(user, user.playlists[static_cast<size_t>(i)]);
        if (ctx) items.push_back(simplified_playlist_json(*ctx, call.base_url));
    }
    auto page_url = [&](int64_t page_offset) {
        return call.base_url + "/v1/me/playlists?offset=" + std::to_string(page_offset) +
               "&limit=" + std::to_string(limit);
    };
    send_json(call.res, 200, paging_json(page_url, items, limit, offset, total));
}

void WebApi::playlist(Call& call) {
    std::lock_guard lock(world_.mutex());
    User& user = require_user(world_, call);
    auto ctx = world_.context(user, "spotify:playlist:" + call.group(0));
    if (!ctx) throw ApiError(404, "Resource not found");
    send_json(call.res, 200, playlist_json(world_, *ctx, call.base_url));
}

void WebApi::album(Call& call) {
    std::lock_guard lock(world_.mutex());
    require_user(world_, call);
    if (!is_base62(call.group(0))) throw ApiError(400, "Invalid base62 id");
    auto body = album_json(world_, call.group(0), call.base_url);
    if (!body) throw ApiError(404, "Resource not found");
    send_json(call.res, 200, *body);
}

void WebApi::save_library(Call& call, bool save) {
    std::lock_guard lock(world_.mutex());
    User& user = require_scope(world_, call, "user-library-modify");
    for (const auto& uri : library_uris(call, false)) save_uri(world_, user, uri, save);
    send_empty_ok(call);
}

void WebApi::library_contains(Call& call) {
    std::lock_guard lock(world_.mutex());
    User& user = require_scope(world_, call, "user-library-read");
    json answer = json::array();
    for (const auto& uri : library_uris(call, true)) answer.push_back(contains_uri(user, uri));
    send_json(call.res, 200, answer);
}

// Deprecated /me/tracks: ids in the query win over ids (or timestamped_ids) in a JSON body.
void WebApi::save_tracks(Call& call, bool save) {
    std::lock_guard lock(world_.mutex());
    User& user = require_user(world_, call);
    std::vector<std::string> ids;
    if (auto text = call.param("ids"); text && !text->empty()) {
        ids = split(*text, ',');
    } else if (!call.req.body.empty()) {
        json body = json::parse(call.req.body);
        if (!body.is_object()) throw ApiError(400, "Malformed json");
        if (body.contains("timestamped_ids")) {
            for (const auto& entry : body["timestamped_ids"])
                ids.push_back(entry.at("id").get<std::string>());
        } else if (body.contains("ids")) {
            ids = body["ids"].get<std::vector<std::string>>();
        }
    }
    if (ids.empty()) throw ApiError(400, "Missing required field: ids");
    if (ids.size() > kMaxTrackIds) throw ApiError(400, "Too many ids requested");
    for (const auto& id : ids) {
        if (!is_base62(id)) throw ApiError(400, "Invalid base62 id");
    }
    for (const auto& id : ids) save_uri(world_, user, "spotify:track:" + id, save);
    send_empty_ok(call);
}

void WebApi::tracks_contain(Call& call) {
    std::lock_guard lock(world_.mutex());
    User& user = require_user(world_, call);
    auto text = call.param("ids");
    if (!text || text->empty()) throw ApiError(400, "Missing required parameter: ids");
    auto ids = split(*text, ',');
    if (ids.size() > kMaxTrackIds) throw ApiError(400, "Too many ids requested");
    json answer = json::array();
    for (const auto& id : ids) {
        if (!is_base62(id)) throw ApiError(400, "Invalid base62 id");
        answer.push_back(contains_uri(user, "spotify:track:" + id));
    }
    send_json(call.res, 200, answer);
}

}  // namespace fake_spotify
