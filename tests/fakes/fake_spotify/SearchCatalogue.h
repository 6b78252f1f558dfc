// What the fake's search finds besides the default catalogue (World.cpp): artists, albums,
// tracks, playlists, shows and episodes put into the World (so what is found can be played), and
// audiobooks, which only the search knows. The names are chosen for the hard cases of play by
// name (docs/mqtt-commands.md#search):
//   - "Bad Company": an artist, an album and a track with the same name
//   - "Beyoncé": an accented artist name a voice assistant writes as "Beyonce"
//   - "Café del Mar" (playlist) and "Cafe Del Mar" (album): names differing in accents and case
//   - "Chill Vibes": an album, a playlist, a show and a removed playlist (Spotify lists removed
//     playlists as null among the results)
//   - "Daft Punk": an artist whose name is no track's name
#pragma once

#include <string>
#include <vector>

#include "World.h"

namespace fake_spotify {

// SimplifiedAudiobookObject's fields the fake serves.
struct Audiobook {
    std::string id;
    std::string name;
    std::vector<std::string> authors;
    std::vector<std::string> narrators;
    std::string publisher;
    int total_chapters = 1;
};

// Puts the tracks, episodes and playlists above into `world` (call with its mutex held).
void add_search_catalogue(World& world);
const std::vector<Audiobook>& search_audiobooks();
// Playlists Spotify lists as null in search results (the owner's id marks them).
inline constexpr char kRemovedOwner[] = "removed-owner";

}  // namespace fake_spotify
