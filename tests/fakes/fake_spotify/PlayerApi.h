// /v1/me/player…: playback state, devices, queue, and the Premium-only player commands.
#pragma once

#include <functional>

#include "Http.h"
#include "World.h"

namespace fake_spotify {

class PlayerApi {
  public:
    explicit PlayerApi(World& world) : world_(world) {}
    void register_routes(Router& router);

  private:
    // Locks the world, authenticates and settles playback to now, then runs `body`.
    void with_user(Call& call, const std::function<void(User&, int64_t now)>& body);
    void state(Call& call, bool full);
    void devices(Call& call);
    void transfer(Call& call);
    void play(Call& call);
    // Shared checks of the commands, in Spotify's order: token, parameters (`validate`),
    // Premium, then the targeted device.
    void command(Call& call, const std::function<void()>& validate,
                 const std::function<void(User&, Device&, int64_t now)>& action,
                 bool any_device = false);

    World& world_;
};

}  // namespace fake_spotify
