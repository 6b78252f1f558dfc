// libFuzzer target for the Spotify JSON mapping (core/SpotifyJson): every answer body the bridge
// maps, with the first byte choosing the parser (its value modulo 8; 7: listening data) and, for
// the player, the HTTP status. Besides "no crash, no exception, no sanitizer report" it checks the
// ranges the state payload relies on.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_require.h"
#include "spotify/SpotifyJson.h"

namespace {
using s2m::fuzz::require;

void check_error(const s2m::Error& error) {
    require(!error.message.empty() && error.message.size() < 2000, "a short message");
}

// A mapping either succeeds or explains itself.
template <typename T>
void check_result(const s2m::Result<T>& result) {
    if (!result.ok()) check_error(result.error());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    const int statuses[] = {200, 204, 400, 401, 403, 404, 429, 500, 502, 503};
    int status = statuses[(data[0] >> 3) % 10];
    switch (data[0] % 8) {
        case 0: {
            auto state = s2m::parse_player(status, body, 1'700'000'000'000);
            check_result(state);
            if (state.ok() && state->volume)
                require(*state->volume >= 0 && *state->volume <= 100, "volume in 0..100");
            break;
        }
        case 1:
            check_result(s2m::parse_devices(body));
            break;
        case 2:  // playlist bodies: a page of playlists, one playlist, a page of item URIs
            check_result(s2m::parse_playlist_page(body));
            check_result(s2m::parse_playlist(body));
            check_result(s2m::parse_playlist_item_uris(body));
            break;
        case 3:
            check_result(s2m::parse_profile(body));
            break;
        case 4: {  // object bodies: a context's name, library pages, search results
            check_result(s2m::parse_object_name(body));
            for (auto type :
                 {s2m::LibraryType::Tracks, s2m::LibraryType::Albums, s2m::LibraryType::Shows,
                  s2m::LibraryType::Episodes, s2m::LibraryType::Audiobooks}) {
                auto page = s2m::parse_saved_items(body, type);
                check_result(page);
                if (page.ok())
                    for (const auto& listed : page->items)
                        require(!listed.entry.uri.empty(), "a saved entry has a uri");
            }
            check_result(s2m::parse_followed_artists(body));
            auto found = s2m::parse_search_results(body, s2m::search_types());
            check_result(found);
            if (found.ok()) {
                for (const auto& [type, entries] : found->lists)
                    for (const auto& entry : entries)
                        require(!entry.uri.empty() && entry.type == type, "an entry has a uri");
            }
            break;
        }
        case 6: {  // array-or-object bodies: the queue, and a library check's booleans
            check_result(s2m::parse_library_contains(body));
            auto queue = s2m::parse_queue(body);
            check_result(queue);
            if (queue.ok()) {
                for (const auto& item : queue->next) require(!item.uri.empty(), "items have a URI");
            }
            break;
        }
        case 7: {  // listening data: recently played, top tracks, top artists
            auto played = s2m::parse_recently_played(body);
            check_result(played);
            if (played.ok()) {
                for (const auto& entry : played.value())
                    require(!entry.item.uri.empty() && !entry.played_at.empty(),
                            "a play has a URI and a time");
            }
            auto tracks = s2m::parse_top_tracks(body);
            check_result(tracks);
            if (tracks.ok())
                for (const auto& item : tracks.value())
                    require(!item.uri.empty(), "items have a URI");
            auto artists = s2m::parse_top_artists(body);
            check_result(artists);
            if (artists.ok())
                for (const auto& artist : artists.value())
                    require(!artist.uri.empty(), "artists have a URI");
            break;
        }
        default: {
            std::optional<int> retry_after;
            if (size > 1) retry_after = data[1];
            check_error(s2m::parse_api_error(status, body, retry_after));
            break;
        }
    }
    return 0;
}
