#include "PlaylistEditApi.h"

#include <algorithm>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "ScopeCheck.h"
#include "SpotifyJson.h"
#include "WebApi.h"

namespace fake_spotify {

namespace {

constexpr int64_t kMaxItemsPage = 50;    // QueryLimit of the reference
constexpr size_t kMaxUrisPerCall = 100;  // add/remove take at most 100 items

json body_of(const Call& call) {
    if (call.req.body.empty()) return json::object();
    json body = json::parse(call.req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) throw ApiError(400, "Error parsing JSON.");
    return body;
}

// A track or episode URI of the catalogue (or a well-formed one, which gets an entry).
std::string playlist_item_uri(World& world, const json& value) {
    if (!value.is_string()) throw ApiError(400, "Invalid track uri");
    std::string uri = value.get<std::string>();
    auto parts = split_uri(uri);
    if (!parts || (parts->first != "track" && parts->first != "episode"))
        throw ApiError(400, "Invalid track uri: " + uri);
    world.ensure_item(uri);
    return uri;
}

int64_t int_param(const Call& call, const std::string& key, int64_t fallback, int64_t low,
                  int64_t high) {
    auto text = call.param(key);
    if (!text) return fallback;
    try {
        int64_t value = std::stoll(*text);
        if (value >= low && value <= high) return value;
    } catch (const std::exception&) {
    }
    throw ApiError(400, "Invalid " + key);
}

json snapshot_of(const Context& playlist) {
    return {{"snapshot_id", "fakesnapshot" + std::to_string(playlist.items.size())}};
}

}  // namespace

void PlaylistEditApi::register_routes(Router& router) {
    router.add("GET", "/v1/playlists/([^/]+)/items", [this](Call& c) { items(c); });
    router.add("POST", "/v1/playlists/([^/]+)/items", [this](Call& c) { add_items(c); });
    router.add("DELETE", "/v1/playlists/([^/]+)/items", [this](Call& c) { remove_items(c); });
    router.add("POST", "/v1/me/playlists", [this](Call& c) { create(c); });
}

Context PlaylistEditApi::editable(const User& user, const Call& call) {
    auto found = world_.playlists().find("spotify:playlist:" + call.group(0));
    if (found == world_.playlists().end()) throw ApiError(404, "Resource not found");
    const Context& playlist = found->second;
    if (playlist.owner_id != user.id && !playlist.collaborative)
        throw ApiError(403, "You cannot add to or remove from a playlist you don't own.");
    return playlist;
}

// The reference: "only accessible for playlists owned by the current user or playlists the
// user is a collaborator of". `fields` is not applied: the whole objects are a superset.
void PlaylistEditApi::items(Call& call) {
    std::lock_guard lock(world_.mutex());
    User& user = require_user(world_, call);
    Context playlist = editable(user, call);
    int64_t limit = int_param(call, "limit", 20, 1, kMaxItemsPage);
    int64_t offset = int_param(call, "offset", 0, 0, 100000);
    json entries = json::array();
    auto total = static_cast<int64_t>(playlist.items.size());
    for (int64_t i = offset; i < total && i < offset + limit; ++i) {
        json item = item_json(world_, world_.ensure_item(playlist.items[static_cast<size_t>(i)]),
                              call.base_url);
        entries.push_back({{"added_at", "2024-05-17T12:00:00Z"},
                           {"is_local", false},
                           {"item", item},
                           {"track", item}});
    }
    std::string base = call.base_url + "/v1/playlists/" + playlist.id + "/items";
    auto page_url = [&](int64_t at) {
        return base + "?offset=" + std::to_string(at) + "&limit=" + std::to_string(limit);
    };
    send_json(call.res, 200, paging_json(page_url, entries, limit, offset, total));
}

// Locks, checks the playlist may be changed, applies `apply` and answers the new snapshot id.
void PlaylistEditApi::change(Call& call, int status,
                             const std::function<void(Context&, const json&)>& apply) {
    std::lock_guard lock(world_.mutex());
    User& user =
        require_any_scope(world_, call, "playlist-modify-public", "playlist-modify-private");
    Context playlist = editable(user, call);
    apply(playlist, body_of(call));
    json answer = snapshot_of(playlist);
    world_.put_playlist(std::move(playlist));
    send_json(call.res, status, answer);
}

void PlaylistEditApi::add_items(Call& call) {
    change(call, 201, [&](Context& playlist, const json& body) { add(call, playlist, body); });
}

void PlaylistEditApi::add(const Call& call, Context& playlist, const json& body) {
    std::vector<std::string> uris;
    if (body.contains("uris")) {
        if (!body.at("uris").is_array()) throw ApiError(400, "uris must be an array");
        for (const json& uri : body.at("uris")) uris.push_back(playlist_item_uri(world_, uri));
    } else if (auto text = call.param("uris")) {
        size_t start = 0;
        while (start <= text->size()) {
            size_t comma = std::min(text->find(',', start), text->size());
            uris.push_back(playlist_item_uri(world_, text->substr(start, comma - start)));
            start = comma + 1;
        }
    }
    if (uris.empty()) throw ApiError(400, "No uris provided");
    if (uris.size() > kMaxUrisPerCall) throw ApiError(400, "Too many uris");
    auto size = static_cast<int64_t>(playlist.items.size());
    int64_t position = body.contains("position") && body.at("position").is_number_integer()
                           ? body.at("position").get<int64_t>()
                           : int_param(call, "position", size, 0, size);
    if (position < 0 || position > size) throw ApiError(400, "Index out of bounds");
    playlist.items.insert(playlist.items.begin() + position, uris.begin(), uris.end());
}

void PlaylistEditApi::remove_items(Call& call) {
    change(call, 200, [&](Context& playlist, const json& body) {
        const json* items = body.contains("items") ? &body.at("items") : nullptr;
        if (!items || !items->is_array() || items->empty())
            throw ApiError(400, "Missing required field: items");
        if (items->size() > kMaxUrisPerCall) throw ApiError(400, "Too many items");
        for (const json& entry : *items) {
            if (!entry.is_object() || !entry.contains("uri")) throw ApiError(400, "Invalid item");
            std::string uri = playlist_item_uri(world_, entry.at("uri"));
            std::erase(playlist.items, uri);  // every occurrence, as Spotify does
        }
    });
}

void PlaylistEditApi::create(Call& call) {
    std::lock_guard lock(world_.mutex());
    User& user =
        require_any_scope(world_, call, "playlist-modify-public", "playlist-modify-private");
    json body = body_of(call);
    if (!body.contains("name") || !body["name"].is_string() ||
        body["name"].get<std::string>().empty())
        throw ApiError(400, "Missing required field: name");
    Context playlist;
    playlist.type = "playlist";
    playlist.id = "fakecreated" + std::to_string(++created_) + user.id;
    playlist.id.erase(std::remove_if(playlist.id.begin(), playlist.id.end(),
                                     [](unsigned char c) { return std::isalnum(c) == 0; }),
                      playlist.id.end());
    playlist.uri = "spotify:playlist:" + playlist.id;
    playlist.name = body["name"].get<std::string>();
    playlist.owner_id = user.id;
    playlist.owner_name = user.display_name;
    playlist.is_public = body.value("public", true);  // the reference: defaults to true
    playlist.collaborative = body.value("collaborative", false);
    playlist.description = body.value("description", std::string());
    // New playlists come first in the user's list, as in Spotify's apps.
    user.playlists.insert(user.playlists.begin(), playlist.uri);
    json answer = playlist_json(world_, playlist, call.base_url);
    world_.put_playlist(std::move(playlist));
    send_json(call.res, 201, answer);
}

}  // namespace fake_spotify
