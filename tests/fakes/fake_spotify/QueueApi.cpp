#include "QueueApi.h"

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "Playback.h"
#include "SpotifyJson.h"
#include "WebApi.h"

namespace fake_spotify {

namespace {

// Spotify lists about this many upcoming items, however long the context is.
constexpr size_t kQueueItems = 20;

// The URIs that follow the current item: the user's queue, then the context from the item
// after the current one (wrapping around with repeat "context", as playback does).
std::vector<std::string> upcoming(const Playback& pb) {
    std::vector<std::string> uris(pb.queue.begin(), pb.queue.end());
    if (pb.order.empty()) return uris;
    size_t count = pb.order.size();
    size_t follow = pb.repeat == "context" ? count - 1 : count - 1 - std::min(pb.index, count - 1);
    for (size_t step = 1; step <= follow && uris.size() < kQueueItems; ++step)
        uris.push_back(pb.order[(pb.index + step) % count]);
    if (uris.size() > kQueueItems) uris.resize(kQueueItems);
    return uris;
}

}  // namespace

void answer_queue(World& world, Call& call) {
    std::lock_guard lock(world.mutex());
    User& user = require_user(world, call);
    settle(world, user, world.now_ms());
    const Playback& pb = user.playback;
    // Nothing active: Spotify answers 200 with nothing playing and an empty queue.
    json current = nullptr;
    json items = json::array();
    if (pb.active && !pb.current.empty()) {
        current = item_json(world, current_item(world, user), call.base_url);
        // Episodes are listed as EpisodeObjects: get-queue has no additional_types.
        for (const std::string& uri : upcoming(pb))
            items.push_back(item_json(world, world.ensure_item(uri), call.base_url));
    }
    send_json(call.res, 200, {{"currently_playing", current}, {"queue", items}});
}

}  // namespace fake_spotify
