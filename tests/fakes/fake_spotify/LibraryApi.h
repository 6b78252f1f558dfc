// The Web API's library listings (paths and shapes from the reference): get-users-saved-tracks
// (Liked Songs), get-users-saved-albums, get-users-saved-shows, get-users-saved-audiobooks
// (Paging<Saved…Object>, offset paging) and get-followed (CursorPagedArtists, paged by the
// `after` cursor). The saved episodes are SpokenWordApi's. Albums, shows, audiobooks and the
// followed artists are the matching URIs of the user's library set (World.h: User::library),
// in URI order.
#pragma once

#include "Http.h"
#include "World.h"

namespace fake_spotify {

class LibraryApi {
  public:
    explicit LibraryApi(World& world) : world_(world) {}
    void register_routes(Router& router);

  private:
    void saved_tracks(Call& call);
    // Saved albums, shows or audiobooks (`type`: album, show, audiobook).
    void saved_objects(Call& call, const std::string& type);
    void followed(Call& call);

    World& world_;
};

}  // namespace fake_spotify
