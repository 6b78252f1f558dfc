// The bridge in-process, over its ports: a manual clock and scheduler, jobs run on the test's
// thread against a scripted HttpClient, a fake broker and an in-memory token store. Tests drive
// it only through Bridge's public API and the MQTT listener callbacks, the way the daemon's
// adapters do, so they keep working however the bridge's insides are arranged.
//
// Nothing runs by itself: settle() runs every task and job that is ready now, and advance()
// moves the clock forward timer by timer, settling at each one. Nothing sleeps.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "CountingRandom.h"
#include "FakeMqtt.h"
#include "ManualTime.h"
#include "MemoryPlayerMemoryStore.h"
#include "MemoryTokenStore.h"
#include "QueuedJobs.h"
#include "RoutedHttp.h"
#include "app/Bridge.h"
#include "config/Config.h"
#include "core/Metrics.h"

namespace s2m::test {

// A fixed start (matches the fixtures' timestamps), so failures read the same every run.
inline constexpr int64_t kHarnessStartMs = 1763796600000;
inline constexpr const char* kTestApp = "test-app";

class BridgeHarness {
  public:
    BridgeHarness();
    ~BridgeHarness();

    // Before start(): what the bridge is built with.
    Config config;
    // A linked account in the store, as after `spotify2mqtt link`: access token "at-1" valid
    // for `token_valid_ms` from now, Premium, linked with kTestApp.
    AccountRecord& link(const std::string& name, int64_t token_valid_ms = 3600 * 1000);

    // Builds the bridge, starts it and connects the broker; then settles.
    Bridge& start();
    Bridge& bridge() { return *bridge_; }

    // Runs posted tasks, due timers and waiting jobs until none is left at this instant.
    void settle();
    // Moves the clock `ms` forward, stopping at every timer due on the way, and settles.
    void advance(int64_t ms);
    int64_t now_ms() const { return clock.now_ms(); }

    // Spotify playing a track on "Living Room" (volume 55), with its devices and no playlists.
    void spotify_playing();
    // The last JSON published on `topic` (null when nothing was).
    nlohmann::json last_json(const std::string& topic) const;
    std::string topic(const std::string& suffix) const {
        return config.mqtt.base_topic + "/" + suffix;
    }

    ManualClock clock{kHarnessStartMs};
    RandomBytes random = counting_random();  // links' states and PKCE verifiers
    ManualScheduler loop{clock};
    RoutedHttp http{clock};
    QueuedJobs jobs{http};
    MemoryTokenStore store;
    MemoryPlayerMemoryStore player_memory;  // snapshots and muted volumes
    Metrics metrics;
    FakeMqtt mqtt;

  private:
    std::unique_ptr<Bridge> bridge_;  // last: it goes first, while its ports still exist
};

}  // namespace s2m::test
