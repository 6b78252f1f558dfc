// The set-up the tests of the reads beside the polls share (up next, liked, recent): account
// "alice" linked, Spotify playing the fixture's track (spotify/player_track.json), the read's
// path answered, and the player moving on to other items.
#pragma once

#include <string>

#include "../TestSupport.h"
#include "BridgeHarness.h"

namespace s2m::test {

// Not the fixture's track: an item change.
inline const std::string kSecondTrack = "spotify:track:2takcwOaAZWiXQijPHIx7B";

// Links alice (Premium unless told), Spotify plays the fixture's track, GET `read_path` answers
// `read_body`, and the bridge starts. The caller turns its feature on first.
inline void start_playing(BridgeHarness& harness, const std::string& read_path,
                          const std::string& read_body, bool premium = true) {
    harness.link("alice").premium = premium;
    harness.spotify_playing();
    harness.http.answer("GET", read_path, json_response(200, read_body));
    harness.start();
}

// From now on Spotify's player answer shows `uri` (no context), playing or paused.
inline void spotify_moves_to(BridgeHarness& harness, const std::string& uri, bool playing) {
    nlohmann::json player = fixture_json("spotify/player_track.json");
    player["context"] = nullptr;
    player["item"]["uri"] = uri;
    player["is_playing"] = playing;
    harness.http.answer("GET", "/v1/me/player", json_response(200, player.dump()));
}

}  // namespace s2m::test
