// Mapping from Spotify Web API answers (shapes of reference/spotify-web-api.openapi.yml) to the
// model. Tolerant of missing and null fields, strict about wrong types: a body that is not what
// the reference says yields a BadResponse error naming the field, never an exception.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Library.h"
#include "core/Listening.h"
#include "core/PlaybackState.h"
#include "core/Result.h"
#include "core/Search.h"

namespace s2m {

// get_playback_state (spotify/Endpoints.h): 200 with a body, or 204 (nothing active → idle). now_ms
// stamps the position.
Result<PlaybackState> parse_player(int http_status, std::string_view body, int64_t now_ms);
// get_available_devices
Result<std::vector<Device>> parse_devices(std::string_view body);
// get_my_playlists (one page)
Result<PlaylistPage> parse_playlist_page(std::string_view body);
// create_playlist's answer (a PlaylistObject): the new playlist.
Result<Playlist> parse_playlist(std::string_view body);
// get_playlist_item_uris: one page of item URIs (null items and local files without one skipped).
struct PlaylistItemUris {
    std::vector<std::string> uris;
    bool more = false;  // `next` is set: another page follows
};
Result<PlaylistItemUris> parse_playlist_item_uris(std::string_view body);
// get_current_user
Result<UserProfile> parse_profile(std::string_view body);
// get_queue: currently_playing (null: nothing) and queue (tracks and episodes, in order).
Result<PlayQueue> parse_queue(std::string_view body);
// get_recently_played (ListeningJson.cpp): the plays, newest first. An entry whose track is null
// or has no URI is skipped; one without played_at, or a body without `items`, is an error.
Result<std::vector<PlayedItem>> parse_recently_played(std::string_view body);
// get_top_tracks / get_top_artists: one page's items (null items and items without a URI
// skipped; a body without `items` is an error).
Result<std::vector<Track>> parse_top_tracks(std::string_view body);
Result<std::vector<TopArtist>> parse_top_artists(std::string_view body);
// check_library_contains for one URI: an array of one boolean.
Result<bool> parse_library_contains(std::string_view body);
// get_context: the object's `name`.
Result<std::string> parse_object_name(std::string_view body);

// search: the compact entries of the types asked for (null items skipped); a type Spotify left
// out has no results.
Result<SearchResults> parse_search_results(std::string_view body,
                                           const std::vector<SearchType>& types);

// get_saved_items: one page of saved items of `type` ({added_at, <item>} entries; null entries
// and null items skipped). Not for LibraryType::Artists.
Result<LibraryPage> parse_saved_items(std::string_view body, LibraryType type);
// get_followed_artists: one cursor page; `after` is the cursor of the next page, none when it
// was the last.
struct FollowedArtistsPage {
    std::vector<LibraryEntry> items;
    int total = 0;
    std::optional<std::string> after;
};
Result<FollowedArtistsPage> parse_followed_artists(std::string_view body);

// An error answer of the Web API ({"error":{"status","message","reason"}}), or whatever else came.
Error parse_api_error(int http_status, std::string_view body, std::optional<int> retry_after_s);

}  // namespace s2m
