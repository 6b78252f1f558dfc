// Listening data: get-recently-played (GET /v1/me/player/recently-played: limit, before and
// after cursors in unix ms) and get-users-top-tracks / get-users-top-artists
// (GET /v1/me/top/{tracks,artists}: time_range, limit, offset), shaped as the reference's
// CursorPagingPlayHistoryObject and PagingObjects, each behind its scope (ScopeCheck.h).
//
// The history is what the playback engine saw: an item that played to its end, or for 30 s
// before it was skipped (Playback.cpp calls record_play), plus what a user spec seeds
// ("recently_played": [{"uri", "played_at_ms"}], newest first). The top lists are a user
// spec's "top_tracks" (uris) and "top_artists" (artist ids), or, when not given, the user's
// liked tracks then the history's items, and those tracks' artists; every time_range answers
// the same lists.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "Http.h"
#include "World.h"

namespace fake_spotify {

// Spotify keeps the last 50 plays.
inline constexpr size_t kHistoryLength = 50;

void record_play(User& user, const std::string& uri, int64_t played_at_ms);
// The spec keys above ("recently_played", "top_tracks", "top_artists"), when present.
void apply_listening_spec(World& world, User& user, const nlohmann::json& spec);

class ListeningApi {
  public:
    explicit ListeningApi(World& world) : world_(world) {}
    void register_routes(Router& router);

  private:
    void recently_played(Call& call);
    void top(Call& call, bool tracks);

    World& world_;
};

}  // namespace fake_spotify
