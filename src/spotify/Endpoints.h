// Every Spotify endpoint the bridge uses, one named builder per operation of the Web API reference
// (its operationId in the comment; only operations the reference does not mark deprecated). A
// builder returns plain data: the method, the path with its query, the JSON body and the words a
// message uses for it ("set the volume to 40"). WebApi.h sends it. No Web API path is written
// anywhere else, so this header is the list to read before adding a feature that calls Spotify.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/Library.h"
#include "core/Search.h"

namespace s2m::endpoint {

// One Web API call below api_url.
struct Request {
    std::string method = "GET";          // GET PUT POST DELETE
    std::string path;                    // below api_url, query included: /me/player/seek?…
    std::optional<nlohmann::json> body;  // sent as application/json when set
    std::string action;                  // for messages: "set the volume to 40"

    bool operator==(const Request&) const = default;
};

// A name in single quotes as actions and messages quote it ('Kitchen'); a name over 60 bytes is cut
// at a character boundary and ends in "…", so the message stays valid UTF-8.
std::string quoted(const std::string& name);

// --- Reads ---

// get-information-about-the-users-current-playback: 200 with the state, or 204 when idle.
Request get_playback_state();
// get-a-users-available-devices
Request get_available_devices();
// get-a-list-of-current-users-playlists: the first page; WebApi follows `next` for the rest.
Request get_my_playlists();
// get-current-users-profile
Request get_current_user();
// get-queue: the current item and what follows it (the user's queue, then the context).
Request get_queue();
// get-recently-played: the newest `limit` plays (scope user-read-recently-played).
Request get_recently_played(int limit);
// get-users-top-tracks / get-users-top-artists: the first `limit` of `time_range` (scope
// user-top-read).
Request get_top_tracks(const std::string& time_range, int limit);
Request get_top_artists(const std::string& time_range, int limit);
// get-playlist, get-an-album, get-an-artist, get-a-show, get-an-audiobook: the object a context
// URI names, for its name. nullopt when the context has no fetchable name (the collections).
std::optional<Request> get_context(const std::string& context_uri);
// The path part of get_context.
std::optional<std::string> context_object_path(const std::string& context_uri);

// search: the types, at most 10 results each, from `offset`.
Request search(const SearchQuery& query);

// --- Player ---

// transfer-a-users-playback; `play` keeps playing on the new device.
Request transfer_playback(const std::string& device_id, bool play, const std::string& device_name);
// start-a-users-playback with a context or items in `body` ({} plays what was playing); on
// `device_id` when given. `action` says what starts ("play the playlist").
Request start_playback(const std::optional<std::string>& device_id, nlohmann::json body,
                       std::string action = "start playback");
// start-a-users-playback without a body: resume.
Request resume_playback(const std::optional<std::string>& device_id);
// pause-a-users-playback
Request pause_playback();
// skip-users-playback-to-next-track
Request skip_to_next();
// skip-users-playback-to-previous-track
Request skip_to_previous();
// seek-to-position-in-currently-playing-track
Request seek_to_position(int64_t position_ms);
// set-repeat-mode-on-users-playback: off | track | context
Request set_repeat_mode(const std::string& mode);
// set-volume-for-users-playback: 0–100
Request set_volume(int percent);
// toggle-shuffle-for-users-playback
Request toggle_shuffle(bool on);
// add-to-queue: a track or episode URI
Request add_to_queue(const std::string& uri);

// --- Library ---

// save-library-items / remove-library-items: one URI; `item_name` is for the action's words.
Request save_library_items(const std::string& uri, const std::string& item_name);
Request remove_library_items(const std::string& uri, const std::string& item_name);
// check-library-contains: whether one URI is in the user's library (docs/mqtt.md: `liked`).
Request check_library_contains(const std::string& uri);
// get-users-saved-tracks, get-users-saved-albums, get-users-saved-shows,
// get-users-saved-episodes, get-users-saved-audiobooks: one page (scope user-library-read).
// Not for LibraryType::Artists.
Request get_saved_items(LibraryType type, int offset, int limit);
// get-followed (type=artist): one page after the cursor `after` (the last artist id of the page
// before; none for the first page). Scope user-follow-read.
Request get_followed_artists(const std::optional<std::string>& after, int limit);

// --- Playlists (scopes: playlist-modify-public and playlist-modify-private) ---

// add-items-to-playlist: one track or episode URI, appended (`playlist_id` is the base62 id).
Request add_items_to_playlist(const std::string& playlist_id, const std::string& uri,
                              const std::string& playlist_name);
// remove-items-playlist: every occurrence of one URI.
Request remove_items_playlist(const std::string& playlist_id, const std::string& uri,
                              const std::string& playlist_name);
// create-playlist: for the current user; Spotify answers with the new playlist object.
Request create_playlist(const std::string& name, bool is_public,
                        const std::optional<std::string>& description);
// get-playlists-items: one page of 50 items' URIs only, from `offset` (scope
// playlist-read-private).
Request get_playlist_item_uris(const std::string& playlist_id, int offset);

// --- Accounts service: POST <accounts_url>/api/token (WebApi.h adds the app's credentials) ---

struct TokenRequest {
    std::string path;                                       // below accounts_url
    std::vector<std::pair<std::string, std::string>> form;  // the form body, in order
};

// grant_type=refresh_token
TokenRequest refresh_token_grant(const std::string& refresh_token);
// grant_type=authorization_code: the code from the redirect, the redirect_uri sent to /authorize
// (they must match) and the PKCE verifier.
TokenRequest authorization_code_grant(const std::string& code, const std::string& redirect_uri,
                                      const std::string& verifier);

}  // namespace s2m::endpoint
