// The Web API's podcast and audiobook reads (paths and shapes from the reference): get-a-show,
// get-a-shows-episodes, get-an-episode, get-users-saved-episodes, get-an-audiobook,
// get-audiobook-chapters and get-a-chapter. Playing them is PlayerApi's (shows and audiobooks
// are contexts, the saved episodes are the collection spotify:user:<id>:collection:your-episodes).
#pragma once

#include "Http.h"
#include "World.h"

namespace fake_spotify {

class SpokenWordApi {
  public:
    explicit SpokenWordApi(World& world) : world_(world) {}
    void register_routes(Router& router);

  private:
    void show(Call& call);
    void episode(Call& call);
    void saved_episodes(Call& call);
    void audiobook(Call& call);
    void chapter(Call& call);
    void contents(Call& call, bool chapters);  // a show's episodes or an audiobook's chapters

    World& world_;
};

}  // namespace fake_spotify
