// Bad input and unavailable peers: the bridge explains and keeps serving.
#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include "BridgeWorld.h"
#include "support/Ports.h"

using namespace s2m::test;

namespace {
bool offline_because(const Json& availability, const std::string& reason) {
    return availability["state"] == "offline" && availability["reason"] == reason;
}

// When the fake received the (one) request it answered 429.
int64_t arrival_of_429(const FakeSpotifyClient& fake) {
    for (const Json& request : fake.requests())
        if (request["status"] == 429) return request["mono_us"].get<int64_t>();
    FAIL("the fake answered no request with 429");
    return 0;
}
}  // namespace

TEST_CASE("a Spotify answer that is not JSON, has wrong types or is huge is explained",
          "[faults]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("hana", 120000));
    world.start_bridge(Json::object({{"accounts", BridgeWorld::accounts({"hana"})["accounts"]},
                                     {"polling", {{"playing_interval_s", 1}}}}));
    REQUIRE(world.wait_state("hana", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(world.bridge_log());

    struct Case {
        const char* name;
        Json fault;
    };
    for (const Case& c : {
             Case{"not JSON", {{"raw_body", "<html>oops</html>"}}},
             Case{"wrong types", {{"body", {{"is_playing", "yes"}, {"item", 7}}}}},
             Case{"huge", {{"raw_body_size", 8 * 1024 * 1024}}},
         }) {
        INFO(c.name);
        Json rule = c.fault;
        rule["method"] = "GET";
        rule["path_prefix"] = "/v1/me/player";
        rule["status"] = 200;
        rule["count"] = -1;
        int64_t id = world.fake.add_fault(rule);
        auto explained = world.probe.wait_for_json(
            "spotify2mqtt/hana/availability",
            [](const Json& a) {
                return offline_because(a, "bad_response") && a["message"].is_string();
            },
            10s);
        REQUIRE(explained);
        // Cleared before the fault goes: a poll may bring the account back at once.
        world.probe.clear();
        world.fake.remove_fault(id);
        world.probe.publish("spotify2mqtt/hana/get", "");
        REQUIRE(world.probe.wait_for_json(
            "spotify2mqtt/hana/availability", [](const Json& a) { return a["state"] == "online"; },
            10s));
        CHECK(world.bridge->process().running());
    }
}

TEST_CASE("an unreachable or failing API shows api_unreachable, then recovers", "[faults]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("ivan", 120000));
    world.start_bridge(BridgeWorld::accounts({"ivan"}));
    REQUIRE(world.wait_state("ivan", [](const Json& s) { return s["state"] == "playing"; }));
    int64_t id =
        world.fake.add_fault({{"path_prefix", "/v1/me/player"}, {"status", 503}, {"count", -1}});
    world.probe.publish("spotify2mqtt/ivan/get", "");
    INFO(world.bridge_log());
    REQUIRE(world.probe.wait_for_json(
        "spotify2mqtt/ivan/availability",
        [](const Json& a) { return offline_because(a, "api_unreachable"); }, 10s));
    world.probe.clear();  // the "online" of the start must not count as the recovery
    world.fake.remove_fault(id);
    world.probe.publish("spotify2mqtt/ivan/get", "");
    CHECK(world.probe.wait_for_json(
        "spotify2mqtt/ivan/availability", [](const Json& a) { return a["state"] == "online"; },
        10s));
}

TEST_CASE("a 429 silences every request for Retry-After and says so", "[faults]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("jack", 120000));
    world.fake.create_user(short_playlist_user("kate", 120000));
    world.start_bridge(
        Json::object({{"accounts", BridgeWorld::accounts({"jack", "kate"})["accounts"]},
                      {"polling", {{"playing_interval_s", 1}}}}));
    REQUIRE(world.wait_state("jack", [](const Json& s) { return s["state"] == "playing"; }));
    REQUIRE(world.wait_state("kate", [](const Json& s) { return s["state"] == "playing"; }));
    world.fake.add_rate_limit("/v1/me/player", 3, 1);
    auto event = world.probe.wait_for_json(
        "spotify2mqtt/bridge/event", [](const Json& e) { return e["type"] == "rate_limited"; }, 5s);
    INFO(world.bridge_log());
    REQUIRE(event);
    // Judged by when the fake received each request, not by the test's own sleeps (which a
    // loaded machine stretches past the window).
    int64_t after_429 = world.fake.last_seq();
    int64_t limited_at_us = arrival_of_429(world.fake);
    REQUIRE(eventually([&] { return !world.fake.requests(after_429).empty(); }, 15s));
    Json after = world.fake.requests(after_429);
    INFO(after.dump());
    int64_t first_us = INT64_MAX;
    for (const Json& request : after)
        first_us = std::min(first_us, request["mono_us"].get<int64_t>());
    // No account asked anything inside the 3 s window (timers may round by a few ms); polling
    // resumed afterwards.
    CHECK(first_us - limited_at_us >= 2950000);
}

TEST_CASE("a broker that is down at start is connected to once it comes up", "[faults]") {
    int port = free_tcp_port();
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("lena", 120000));
    BridgeOptions options;
    options.mqtt_url = "mqtt://127.0.0.1:" + std::to_string(port);
    options.api_url = world.fake.api_url();
    options.accounts_url = world.fake.accounts_url();
    options.config_overrides = BridgeWorld::accounts({"lena"});
    BridgeUnderTest bridge(options);
    std::this_thread::sleep_for(2s);
    REQUIRE(bridge.process().running());
    // Now a broker appears on that port.
    TempDir dir("s2m-late-broker");
    std::ofstream(dir / "mosquitto.conf")
        << "listener " << port << " 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n";
    ProcessOptions broker_options;
    broker_options.argv = {"/usr/sbin/mosquitto", "-c", (dir / "mosquitto.conf").string()};
    broker_options.log_file = dir / "mosquitto.log";
    Process broker(broker_options);
    REQUIRE(wait_port_open(port, 5s));
    MqttProbe probe(options.mqtt_url, MqttProbeOptions{.subscriptions = {"spotify2mqtt/#"}});
    INFO(bridge.log());
    CHECK(probe.wait_for_json(
        "spotify2mqtt/bridge/state", [](const Json& s) { return s["state"] == "online"; }, 40s));
    CHECK(probe.wait_for_json(
        "spotify2mqtt/lena", [](const Json& s) { return s["state"] == "playing"; }, 10s));
}

TEST_CASE("config errors exit 78 listing every problem - check-config agrees", "[faults]") {
    TempDir dir("s2m-config");
    std::ofstream(dir / "bad.json") << R"({
        // two problems at once
        "mqtt": {"url": "http://broker", "colour": "blue"},
        "spotify": {"client_id": "abc", "client_secret": "s3cret-value"},
        "polling": {"playing_interval_s": 0}
    })";
    for (const char* command : {"run", "check-config"}) {
        ProcessOptions options;
        options.argv = {bridge_binary().string(), command, "--config", (dir / "bad.json").string()};
        options.log_file = dir / (std::string(command) + ".log");
        Process process(options);
        auto code = process.wait_exit(10s);
        INFO(process.log());
        REQUIRE(code);
        CHECK(*code == 78);
        CHECK(process.log().find("mqtt.url") != std::string::npos);
        CHECK(process.log().find("mqtt.colour") != std::string::npos);
        CHECK(process.log().find("polling.playing_interval_s") != std::string::npos);
        CHECK(process.log().find("s3cret-value") == std::string::npos);
    }
}

TEST_CASE("a single 5xx is retried within the poll and never shows", "[faults]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("nina", 120000));
    world.start_bridge(BridgeWorld::accounts({"nina"}));
    REQUIRE(world.wait_state("nina", [](const Json& s) { return s["state"] == "playing"; }));
    // The first item's Up next read (GET /v1/me/player/queue) must be over, or the fault below
    // (a path prefix) could hit it instead of the player read.
    REQUIRE(world.probe.wait_for("spotify2mqtt/nina/queue", nullptr, 10s));
    world.fake.set_playback("nina", {{"volume", 61}});
    world.fake.add_fault({{"path", "/v1/me/player"}, {"method", "GET"}, {"status", 502}});
    int64_t since = world.fake.last_seq();
    world.probe.clear();
    world.probe.publish("spotify2mqtt/nina/get", "", 1);
    // The read is tried again a moment later (250 ms ± 50 %) and its answer published.
    INFO(world.bridge_log());
    CHECK(world.wait_state(
        "nina", [](const Json& s) { return s["volume"] == 61; }, 5s));
    Json reads = world.fake.requests_to("GET", "/v1/me/player", since);
    REQUIRE(reads.size() >= 2);
    CHECK(reads[0]["status"] == 502);
    CHECK(reads[1]["status"] == 200);
    int64_t gap_us = reads[1]["mono_us"].get<int64_t>() - reads[0]["mono_us"].get<int64_t>();
    CHECK(gap_us >= 100000);  // backed off, not hammered
    // Nobody saw an outage (a late first "online" may still arrive on a slow, e.g. sanitized, run).
    for (const auto& message : world.probe.messages("spotify2mqtt/nina/availability"))
        CHECK(message.json()["state"] == "online");
}
