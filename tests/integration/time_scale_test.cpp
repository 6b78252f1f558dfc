// SPOTIFY2MQTT_BENCH_TIME_SCALE (app/BridgeClock.h): the bridge's clock runs as fast as the fake
// Spotify's, so benchmarks can play a whole listening day in minutes.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "BridgeWorld.h"

using namespace s2m::test;

TEST_CASE("a bench time scale runs the poll schedule faster, in step with the fake's clock",
          "[time_scale]") {
    constexpr double kScale = 30;
    BridgeWorld world;
    world.fake.set_clock_speed(kScale);
    world.fake.create_user(short_playlist_user("tina", 120000));  // 2 min = 4 real s per track
    BridgeOptions options = world.bridge_options(BridgeWorld::accounts({"tina"}));
    options.env = {{"SPOTIFY2MQTT_BENCH_TIME_SCALE", "30"}};
    world.bridge = std::make_unique<BridgeUnderTest>(options);
    REQUIRE(world.wait_state("tina", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(world.bridge_log());
    CHECK(world.bridge_log().find("runs 30x faster") != std::string::npos);

    int64_t since = world.fake.last_seq();
    world.probe.clear();
    std::this_thread::sleep_for(std::chrono::seconds(9));  // 4.5 minutes on both clocks
    size_t reads = world.fake.requests_to("GET", "/v1/me/player", since).size();
    auto states = world.probe.messages("spotify2mqtt/tina");
    std::set<std::string> tracks;
    for (const auto& message : states) tracks.insert(message.json()["track"]["uri"].dump());
    // Every 10 s of bridge time while playing, plus each track's end: ~30 reads in real time
    // would take 5 minutes (or 2 here without the scale).
    CHECK(reads >= 15);
    // The natural track changes were caught (two or three in 4.5 minutes)...
    CHECK(tracks.size() >= 2);
    // ...and nothing else was published: the bridge's predicted progress agrees with the fake's
    // clock, so no poll looked like a seek.
    CHECK(states.size() <= tracks.size() + 2);
}

TEST_CASE("a bad bench time scale stops the bridge with exit 78 and says why", "[time_scale]") {
    BridgeWorld world;
    BridgeOptions options = world.bridge_options();
    options.env = {{"SPOTIFY2MQTT_BENCH_TIME_SCALE", "fast"}};
    BridgeUnderTest bridge(options);
    auto code = bridge.process().wait_exit(std::chrono::seconds(10));
    INFO(bridge.log());
    REQUIRE(code);
    CHECK(*code == 78);
    CHECK(bridge.log().find("SPOTIFY2MQTT_BENCH_TIME_SCALE must be a number from 1 to 1000") !=
          std::string::npos);
}
