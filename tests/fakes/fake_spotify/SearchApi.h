// GET /v1/search (operationId "search" of the Web API reference): q, type (a comma-separated list
// of album artist playlist track show episode audiobook), limit 1–10 (the 2026 limit for
// development-mode apps), offset 0–1000; one paging object per type asked for. Matching is like
// Spotify's: every word of q must appear, ignoring case and accents, in the name (or in the
// artists, album, show, owner, publisher or authors); exact names come first, then names that
// start with q, then the rest in catalogue order. The catalogue is the World's (tracks, episodes,
// the albums, artists and shows they belong to, playlists) plus SearchCatalogue's audiobooks.
#pragma once

#include "Http.h"
#include "World.h"

namespace fake_spotify {

class SearchApi {
  public:
    // Adds SearchCatalogue's items and playlists to `world`.
    explicit SearchApi(World& world);
    void register_routes(Router& router);

  private:
    void search(Call& call);

    World& world_;
};

}  // namespace fake_spotify
