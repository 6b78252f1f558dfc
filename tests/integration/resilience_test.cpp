// The bridge survives what a long-running daemon meets: its broker killed and restarted (with
// persistence, as most installs run it), and itself killed with SIGKILL right after Spotify
// rotated its refresh token.
#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

#include "BridgeWorld.h"

using namespace s2m::test;

namespace {
auto online = [](const Json& s) { return s["state"] == "online"; };
auto playing = [](const Json& s) { return s["state"] == "playing"; };

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// The broker is back: the bridge says online again (a fresh broker without a saved store has
// no retained copy), and takes a command, which only a bridge subscribed anew can answer.
// Returns how long after `restarted` the bridge's online arrived.
std::optional<std::chrono::milliseconds> bridge_back(
    BridgeWorld& world, int volume, std::chrono::steady_clock::time_point restarted,
    std::chrono::seconds within) {
    MqttProbe fresh(world.broker.url(), MqttProbeOptions{.subscriptions = {"spotify2mqtt/#"}});
    auto back = fresh.wait_for_json("spotify2mqtt/bridge/state", online, within);
    if (!back) return std::nullopt;
    fresh.publish("spotify2mqtt/paul/set/volume", std::to_string(volume), 1);
    auto response = fresh.wait_for_json("spotify2mqtt/paul/response", nullptr, 10s);
    if (!response || response->json()["status"] != "ok") return std::nullopt;
    if (!fresh.wait_for_json(
            "spotify2mqtt/paul", [&](const Json& s) { return s["volume"] == volume; }, 10s)) {
        return std::nullopt;
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(back->received_at - restarted);
}
}  // namespace

// [broker_kill]: also run against the TSan bridge. Debian's Paho C may free a pending write
// while it is still being sent when the broker dies (tests/sanitizers/tsan.supp); Paho's own
// reconnect then sometimes never recovered, so the bridge reconnects by itself
// (src/adapters/mqtt/ReconnectSupervisor.h), replacing a client that stops answering.
TEST_CASE("a killed broker: reconnect, then availability, discovery and state again",
          "[faults][resilience][broker_kill]") {
    BridgeWorld world(MosquittoOptions{.persistence = true});
    MqttProbe ha(world.broker.url(),
                 MqttProbeOptions{.subscriptions = {"homeassistant/#"}, .auto_reconnect = true});
    world.fake.create_user(short_playlist_user("paul", 120000));
    world.start_bridge(BridgeWorld::accounts({"paul"}));
    REQUIRE(world.wait_state("paul", playing));
    REQUIRE(ha.wait_for("homeassistant/device/spotify2mqtt_paul/config", nullptr, 10s));

    world.broker.kill_hard();
    std::this_thread::sleep_for(3s);  // the bridge notices and retries with backoff
    world.probe.clear();
    ha.clear();
    world.broker.start();
    // A fresh subscriber gets everything retained, and the bridge said it again on reconnect.
    MqttProbe fresh(world.broker.url(), MqttProbeOptions{.subscriptions = {"spotify2mqtt/#"}});
    bool back_online = fresh.wait_for_json("spotify2mqtt/bridge/state", online, 20s).has_value();
    INFO(world.bridge_log());  // taken after the wait, so a failure shows how reconnecting went
    CHECK(back_online);
    CHECK(fresh.wait_for_json("spotify2mqtt/paul/availability", online, 10s));
    CHECK(fresh.wait_for_json("spotify2mqtt/paul", playing, 10s));
    CHECK(ha.wait_for("homeassistant/device/spotify2mqtt_paul/config", nullptr, 10s));

    // And it takes commands again.
    fresh.publish("spotify2mqtt/paul/set/volume", "44", 1);
    auto response = fresh.wait_for_json("spotify2mqtt/paul/response", nullptr, 10s);
    REQUIRE(response);
    CHECK(response->json()["status"] == "ok");
    CHECK(fresh.wait_for_json(
        "spotify2mqtt/paul", [](const Json& s) { return s["volume"] == 44; }, 5s));
}

TEST_CASE("a broker killed and restarted again and again: the bridge is back every time",
          "[faults][resilience][broker_kill]") {
    BridgeWorld world(MosquittoOptions{.persistence = true});
    world.fake.create_user(short_playlist_user("paul", 120000));
    world.start_bridge(BridgeWorld::accounts({"paul"}));
    REQUIRE(world.wait_state("paul", playing));

    constexpr int kRounds = 4;
    for (int round = 1; round <= kRounds; ++round) {
        world.broker.kill_hard();
        // Back at once (the bridge's first retry may find it) or after a few failed retries.
        std::this_thread::sleep_for(round % 2 == 1 ? 200ms : 2500ms);
        world.broker.start();
        auto took = bridge_back(world, 10 + round, std::chrono::steady_clock::now(), 20s);
        INFO("round " << round << "\n" << world.bridge_log());
        REQUIRE(took);
        // Read by the lead: how quickly a restarted broker gets the bridge back.
        std::cout << "resilience: round " << round << ": bridge online " << took->count()
                  << " ms after the broker restarted\n";
    }
    CHECK(count(world.bridge_log(), "MQTT: connected to") == kRounds + 1);
    CHECK(world.bridge->process().running());
}

TEST_CASE("a broker down for a while: each failed attempt logged, then back when it returns",
          "[faults][resilience][broker_kill]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("paul", 120000));
    world.start_bridge(BridgeWorld::accounts({"paul"}));
    REQUIRE(world.wait_state("paul", playing));

    world.broker.kill_hard();
    std::this_thread::sleep_for(12s);  // attempts 1 s, 1-2 s, 2-4 s, 4-8 s apart
    std::string down_log = world.bridge_log();
    INFO(down_log);
    CHECK(world.bridge->process().running());
    // The reason a person can act on, once per failed attempt, with the wait that follows.
    CHECK(count(down_log,
                "no TCP connection (is the broker running and listening there?); "
                "attempt ") >= 4);
    CHECK(count(down_log, "with a new MQTT client") >= 1);  // after 3 failures in a row

    world.broker.start();
    // The wait after the 5th failure is at most 16 s.
    auto took = bridge_back(world, 33, std::chrono::steady_clock::now(), 40s);
    INFO(world.bridge_log());
    REQUIRE(took);
    std::cout << "resilience: after 12 s down: bridge online " << took->count()
              << " ms after the broker restarted\n";
}

TEST_CASE("stopped while the broker is down: it exits at once, cleanly",
          "[faults][resilience][broker_kill]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("paul", 120000));
    auto& bridge = world.start_bridge(BridgeWorld::accounts({"paul"}));
    REQUIRE(world.wait_state("paul", playing));

    world.broker.kill_hard();
    // After the 5th failed attempt the bridge waits 8-16 s before the next one.
    std::string log;
    eventually(
        [&] {
            log = bridge.log();
            return log.find("attempt 5 failed") != std::string::npos;
        },
        40s, 100ms);
    INFO(log);
    REQUIRE(log.find("attempt 5 failed") != std::string::npos);
    bridge.process().signal(SIGTERM);
    // Well before that wait is over (a shutdown takes well under a second when idle).
    CHECK(bridge.process().wait_exit(7s) == 0);
    CHECK(bridge.log().find("attempt 6 failed") == std::string::npos);
}

TEST_CASE("SIGKILL right after a token rotation loses nothing", "[faults][resilience]") {
    BridgeWorld world;
    Json user = short_playlist_user("rita", 120000);
    user["rotate_refresh_tokens"] = true;
    world.fake.create_user(user);
    auto& bridge = world.start_bridge(BridgeWorld::accounts({"rita"}));
    REQUIRE(world.wait_state("rita", playing));

    // Force a refresh (the access token dies; the next read refreshes and Spotify rotates).
    std::string before = world.fake.refresh_token("rita");
    world.fake.expire_access_tokens("rita");
    world.probe.publish("spotify2mqtt/rita/get", "", 1);
    std::string rotated;
    REQUIRE(eventually([&] {
        rotated = world.fake.refresh_token("rita");
        return !rotated.empty() && rotated != before;
    }));
    // The bridge stores a rotated token as soon as it has it (atomically: temp file, fsync,
    // rename); kill it the moment the file shows it.
    auto file = bridge.state_dir() / "accounts" / "rita.json";
    auto stored_token = [&] {
        Json stored = Json::parse(std::ifstream(file), nullptr, false);
        return stored.is_object() ? stored.value("refresh_token", "") : std::string();
    };
    REQUIRE(eventually([&] { return stored_token() == rotated; }, 10s, 10ms));
    bridge.process().kill_hard();
    CHECK(stored_token() == rotated);  // whole and current after the kill

    world.fake.expire_access_tokens("rita");
    world.probe.clear();
    bridge.start();
    INFO(bridge.log());
    CHECK(world.wait_state("rita", playing, 10s));
    CHECK(world.probe.wait_for_json("spotify2mqtt/rita/availability", online, 10s));
    CHECK(world.probe.messages("spotify2mqtt/bridge/event").empty());  // no reauth_required
}
