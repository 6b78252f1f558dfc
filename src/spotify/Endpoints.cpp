#include "spotify/Endpoints.h"

#include <string_view>

#include "core/Encoding.h"

namespace s2m::endpoint {

namespace {

Request call(std::string method, std::string path, std::string action,
             std::optional<nlohmann::json> body = std::nullopt) {
    return Request{std::move(method), std::move(path), std::move(body), std::move(action)};
}

std::string device_query(const std::optional<std::string>& device_id) {
    return device_id ? "?device_id=" + url_encode(*device_id) : std::string();
}

}  // namespace

std::string quoted(const std::string& name) {
    return "'" + utf8_prefix(name, 60) + "'";
}

Request get_playback_state() {
    // Episodes too: without additional_types Spotify reports a podcast as nothing playing.
    return call("GET", "/me/player?additional_types=episode", "read the playback state");
}

Request get_available_devices() {
    return call("GET", "/me/player/devices", "list the devices");
}

Request get_my_playlists() {
    return call("GET", "/me/playlists?limit=50", "list the playlists");
}

Request get_current_user() {
    return call("GET", "/me", "read the account's profile");
}

Request get_queue() {
    return call("GET", "/me/player/queue", "read the queue");
}

Request get_recently_played(int limit) {
    return call("GET", "/me/player/recently-played?limit=" + std::to_string(limit),
                "read what was played recently");
}

Request get_top_tracks(const std::string& time_range, int limit) {
    return call(
        "GET",
        "/me/top/tracks?time_range=" + url_encode(time_range) + "&limit=" + std::to_string(limit),
        "read the top tracks");
}

Request get_top_artists(const std::string& time_range, int limit) {
    return call(
        "GET",
        "/me/top/artists?time_range=" + url_encode(time_range) + "&limit=" + std::to_string(limit),
        "read the top artists");
}

std::optional<std::string> context_object_path(const std::string& uri) {
    static const char* kTypes[][2] = {
        {"spotify:playlist:", "/playlists/"},   {"spotify:album:", "/albums/"},
        {"spotify:artist:", "/artists/"},       {"spotify:show:", "/shows/"},
        {"spotify:audiobook:", "/audiobooks/"},
    };
    for (const auto& [prefix, path] : kTypes) {
        std::string_view p(prefix);
        if (uri.starts_with(p) && uri.size() > p.size()) {
            std::string id = uri.substr(p.size());
            if (id.find_first_of("/?#:%") != std::string::npos) return std::nullopt;
            return std::string(path) + id;
        }
    }
    return std::nullopt;
}

std::optional<Request> get_context(const std::string& context_uri) {
    auto path = context_object_path(context_uri);
    if (!path) return std::nullopt;
    return call("GET", *path, "read the context's name");
}

Request search(const SearchQuery& query) {
    std::string types;
    for (SearchType type : query.types)
        types += (types.empty() ? "" : ",") + std::string(to_string(type));
    return call("GET",
                "/search?q=" + url_encode(query.text) + "&type=" + types + "&limit=" +
                    std::to_string(query.limit) + "&offset=" + std::to_string(query.offset),
                "search for " + quoted(query.text));
}

Request transfer_playback(const std::string& device_id, bool play, const std::string& device_name) {
    return call("PUT", "/me/player", "move playback to " + quoted(device_name),
                nlohmann::json{{"device_ids", {device_id}}, {"play", play}});
}

Request start_playback(const std::optional<std::string>& device_id, nlohmann::json body,
                       std::string action) {
    std::optional<nlohmann::json> sent;
    if (!body.empty()) sent = std::move(body);
    return call("PUT", "/me/player/play" + device_query(device_id), std::move(action),
                std::move(sent));
}

Request resume_playback(const std::optional<std::string>& device_id) {
    return call("PUT", "/me/player/play" + device_query(device_id), "resume playback");
}

Request pause_playback() {
    return call("PUT", "/me/player/pause", "pause");
}

Request skip_to_next() {
    return call("POST", "/me/player/next", "skip to the next track");
}

Request skip_to_previous() {
    return call("POST", "/me/player/previous", "go back to the previous track");
}

Request seek_to_position(int64_t position_ms) {
    return call("PUT", "/me/player/seek?position_ms=" + std::to_string(position_ms), "seek");
}

Request set_repeat_mode(const std::string& mode) {
    return call("PUT", "/me/player/repeat?state=" + url_encode(mode), "set repeat to " + mode);
}

Request set_volume(int percent) {
    return call("PUT", "/me/player/volume?volume_percent=" + std::to_string(percent),
                "set the volume to " + std::to_string(percent));
}

Request toggle_shuffle(bool on) {
    return call("PUT", std::string("/me/player/shuffle?state=") + (on ? "true" : "false"),
                std::string("turn shuffle ") + (on ? "on" : "off"));
}

Request add_to_queue(const std::string& uri) {
    return call("POST", "/me/player/queue?uri=" + url_encode(uri), "add to the queue");
}

Request save_library_items(const std::string& uri, const std::string& item_name) {
    return call("PUT", "/me/library?uris=" + url_encode(uri),
                "save " + quoted(item_name) + " to Liked Songs");
}

Request remove_library_items(const std::string& uri, const std::string& item_name) {
    return call("DELETE", "/me/library?uris=" + url_encode(uri),
                "remove " + quoted(item_name) + " from Liked Songs");
}

Request add_items_to_playlist(const std::string& playlist_id, const std::string& uri,
                              const std::string& playlist_name) {
    Request request = call("POST", "/playlists/" + url_encode(playlist_id) + "/items",
                           "add the item to the playlist " + quoted(playlist_name));
    request.body = nlohmann::json{{"uris", nlohmann::json::array({uri})}};
    return request;
}

Request remove_items_playlist(const std::string& playlist_id, const std::string& uri,
                              const std::string& playlist_name) {
    Request request = call("DELETE", "/playlists/" + url_encode(playlist_id) + "/items",
                           "remove the item from the playlist " + quoted(playlist_name));
    request.body = nlohmann::json{{"items", nlohmann::json::array({{{"uri", uri}}})}};
    return request;
}

Request create_playlist(const std::string& name, bool is_public,
                        const std::optional<std::string>& description) {
    Request request = call("POST", "/me/playlists", "create the playlist " + quoted(name));
    request.body = nlohmann::json{{"name", name}, {"public", is_public}};
    if (description) (*request.body)["description"] = *description;
    return request;
}

Request get_playlist_item_uris(const std::string& playlist_id, int offset) {
    return call("GET",
                "/playlists/" + url_encode(playlist_id) +
                    "/items?fields=" + url_encode("items(item(uri)),next") +
                    "&limit=50&offset=" + std::to_string(offset),
                "read the playlist's items");
}

Request get_saved_items(LibraryType type, int offset, int limit) {
    return call("GET",
                std::string("/me/") + to_string(type) + "?limit=" + std::to_string(limit) +
                    "&offset=" + std::to_string(offset),
                std::string("list the saved ") + to_string(type));
}

Request get_followed_artists(const std::optional<std::string>& after, int limit) {
    return call("GET",
                "/me/following?type=artist" + (after ? "&after=" + url_encode(*after) : "") +
                    "&limit=" + std::to_string(limit),
                "list the followed artists");
}

Request check_library_contains(const std::string& uri) {
    return call("GET", "/me/library/contains?uris=" + url_encode(uri),
                "check whether the item is in Liked Songs");
}

TokenRequest refresh_token_grant(const std::string& refresh_token) {
    return TokenRequest{"/api/token",
                        {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}}};
}

TokenRequest authorization_code_grant(const std::string& code, const std::string& redirect_uri,
                                      const std::string& verifier) {
    return TokenRequest{"/api/token",
                        {{"grant_type", "authorization_code"},
                         {"code", code},
                         {"redirect_uri", redirect_uri},
                         {"code_verifier", verifier}}};
}

}  // namespace s2m::endpoint
