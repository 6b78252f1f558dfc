// Web API endpoints outside the player: the profile, playlists, albums and the library.
#pragma once

#include "Http.h"
#include "World.h"

namespace fake_spotify {

// The user behind the request's Bearer token, or ApiError 401 (or 400 for a header that is not
// Bearer) in Spotify's words. Call with World::mutex() held; names the user for the log.
User& require_user(World& world, Call& call);

class WebApi {
  public:
    explicit WebApi(World& world) : world_(world) {}
    void register_routes(Router& router);

  private:
    void me(Call& call);
    void my_playlists(Call& call);
    void playlist(Call& call);
    void album(Call& call);
    // 2026 library endpoints (/me/library) and the deprecated /me/tracks ones.
    void save_library(Call& call, bool save);
    void library_contains(Call& call);
    void save_tracks(Call& call, bool save);
    void tracks_contain(Call& call);
    static void cover_image(Call& call);  // GET /image/<id>: no token needed

    World& world_;
};

}  // namespace fake_spotify
