// A poll already under way when its app gets a 429: the rest of its calls must not reach
// Spotify inside the window, and its result must not bring the account back online while a
// long window runs (docs/robustness.md: a 429 stops every request of that app).
//
// How it is arranged: the first poll of an account makes four calls (profile, player, devices,
// playlists). The fake holds max's first call for a few seconds; once it is held, lena's next
// player read, through the same Spotify app, is answered 429. When max's call comes back, his
// poll would go on with its other three calls.
#include <catch2/catch.hpp>

#include <thread>

#include "BridgeWorld.h"

using namespace s2m::test;

namespace {

constexpr int64_t kHoldMs = 5000;

// Both accounts through the default app, polled every second; `lena_429` is the fault for her
// player read, added only while max's first call is held (so the order never depends on which
// first poll is quicker).
void hold_max_then_limit_lena(BridgeWorld& world, Json lena_429) {
    world.fake.create_user(short_playlist_user("lena", 120000));
    world.fake.create_user(short_playlist_user("max", 120000));
    // count 2: the rule stays listed, with "held", while it holds the first call.
    int64_t hold = world.fake.add_fault({{"method", "GET"},
                                         {"path_prefix", "/v1/me"},
                                         {"user", "max"},
                                         {"delay_ms", kHoldMs},
                                         {"count", 2}});
    world.start_bridge(
        Json::object({{"accounts", BridgeWorld::accounts({"lena", "max"})["accounts"]},
                      {"polling", {{"playing_interval_s", 1}}}}));
    REQUIRE(eventually(
        [&] {
            for (const Json& fault : world.fake.faults())
                if (fault["id"] == hold && fault["held"] == 1) return true;
            return false;
        },
        15s));
    world.fake.remove_fault(hold);  // the held call stays held; max's later reads are not
    lena_429["method"] = "GET";
    lena_429["path_prefix"] = "/v1/me/player";
    lena_429["user"] = "lena";
    lena_429["status"] = 429;
    lena_429["count"] = 1;
    world.fake.add_fault(lena_429);
}

struct Held {
    int64_t limited_at_us = 0;  // when the fake received the request it answered 429
    int64_t held_at_us = 0;     // when max's held call arrived
};

// Waits until max's held call has been answered, and checks the 429 came while it was held.
Held wait_for_release(BridgeWorld& world) {
    Held held;
    REQUIRE(eventually(
        [&] {
            for (const Json& request : world.fake.requests()) {
                if (request["status"] == 429) held.limited_at_us = request["mono_us"];
                if (request["user"] == "max" && request["path"] == "/v1/me")
                    held.held_at_us = request["mono_us"];
            }
            return held.limited_at_us > 0 && held.held_at_us > 0;
        },
        15s));
    INFO(world.fake.requests().dump());
    // Otherwise the test would not show anything: max's call was out when the 429 came.
    REQUIRE(held.held_at_us < held.limited_at_us);
    REQUIRE(held.limited_at_us - held.held_at_us < (kHoldMs - 500) * 1000);
    return held;
}

// A request another job had already sent (or was sending) while the fake answered the 429 is
// not the bridge's to stop: it cannot know before the answer arrives. On a loaded machine that
// answer may take a while; the requests this test is about come seconds later.
constexpr int64_t kOnTheWayUs = 250000;

// The requests of the default app that arrived within `window_us` after the 429 (and after
// those on their way).
Json inside_window(BridgeWorld& world, const Held& held, int64_t window_us) {
    Json inside = Json::array();
    for (const Json& request : world.fake.requests()) {
        int64_t at = request["mono_us"];
        if (request["client_id"] == "fake-client-id" && at > held.limited_at_us + kOnTheWayUs &&
            at - held.limited_at_us < window_us)
            inside.push_back(request);
    }
    return inside;
}

}  // namespace

TEST_CASE("a poll under way when its app gets a 429 sends nothing more in the window",
          "[faults][rate_limit]") {
    BridgeWorld world;
    hold_max_then_limit_lena(world, {{"headers", {{"Retry-After", "8"}}}});
    auto event = world.probe.wait_for_json(
        "spotify2mqtt/bridge/event", [](const Json& e) { return e["type"] == "rate_limited"; },
        10s);
    INFO(world.bridge_log());
    REQUIRE(event);
    Held held = wait_for_release(world);

    // After the window both accounts are read again (judged by the fake's arrival times, so a
    // loaded machine cannot stretch the test's own clock into the window).
    auto read_after_window = [&](const std::string& user) {
        for (const Json& request : world.fake.requests())
            if (request["user"] == user && request["mono_us"].get<int64_t>() > held.limited_at_us)
                return true;
        return false;
    };
    REQUIRE(eventually([&] { return read_after_window("lena") && read_after_window("max"); }, 30s));
    Json inside = inside_window(world, held, 7950000);  // timers may round by a few ms
    INFO(inside.dump());
    CHECK(inside.empty());
    // The short window shows on the diagnostics of both, not as offline.
    for (const char* name : {"lena", "max"}) {
        CHECK(world.probe.wait_for_json(
            std::string("spotify2mqtt/") + name + "/diagnostics",
            [](const Json& d) { return d["rate_limited"] == true; }, 5s));
    }
}

TEST_CASE("a poll under way when QUOTA_EXCEEDED comes neither calls nor turns its account online",
          "[faults][rate_limit]") {
    BridgeWorld world;
    hold_max_then_limit_lena(
        world,
        {{"body",
          {{"error",
            {{"status", 429}, {"message", "Quota exceeded"}, {"reason", "QUOTA_EXCEEDED"}}}}}});
    auto event = world.probe.wait_for_json(
        "spotify2mqtt/bridge/event", [](const Json& e) { return e["type"] == "quota_exceeded"; },
        10s);
    INFO(world.bridge_log());
    REQUIRE(event);
    Held held = wait_for_release(world);
    // max's poll has its answer now; give its result time to reach the bridge's loop.
    std::this_thread::sleep_for(2s);

    Json inside = inside_window(world, held, INT64_MAX / 2);
    INFO(inside.dump());
    CHECK(inside.empty());  // not one request since the 429 (and those on their way)
    // max went offline with the 429 and stayed so: his own poll's result did not undo it.
    bool limited = false;
    for (const MqttMessage& message : world.probe.messages("spotify2mqtt/max/availability")) {
        Json availability = message.json();
        INFO(availability.dump());
        if (availability.value("reason", "") == "rate_limited") limited = true;
        if (limited) CHECK(availability["state"] == "offline");
    }
    CHECK(limited);
    auto last = world.probe.last("spotify2mqtt/max/availability");
    REQUIRE(last);
    CHECK(last->json().value("reason", "") == "rate_limited");
    auto diagnostics = world.probe.last("spotify2mqtt/max/diagnostics");
    REQUIRE(diagnostics);
    CHECK(diagnostics->json()["status"] == "rate_limited");
}

TEST_CASE("a command under way when its app gets a 429 makes no more calls in the window",
          "[faults][rate_limit]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("lena", 120000));
    world.fake.create_user(short_playlist_user("max", 120000));
    world.start_bridge(
        Json::object({{"accounts", BridgeWorld::accounts({"lena", "max"})["accounts"]},
                      {"polling", {{"playing_interval_s", 1}}}}));
    REQUIRE(world.wait_state("lena", [](const Json& s) { return s["state"] == "playing"; }));
    REQUIRE(world.wait_state("max", [](const Json& s) { return s["state"] == "playing"; }));

    // Two settings are two calls; the fake holds the first while max's poll gets the 429.
    int64_t hold = world.fake.add_fault({{"method", "PUT"},
                                         {"path_prefix", "/v1/me/player/"},
                                         {"user", "lena"},
                                         {"delay_ms", kHoldMs},
                                         {"count", 2}});
    world.probe.publish("spotify2mqtt/lena/set",
                        R"({"volume":20,"shuffle":true,"transaction":"c"})", 1);
    REQUIRE(eventually(
        [&] {
            for (const Json& fault : world.fake.faults())
                if (fault["id"] == hold && fault["held"] == 1) return true;
            return false;
        },
        10s));
    world.fake.remove_fault(hold);
    world.fake.add_fault({{"method", "GET"},
                          {"path_prefix", "/v1/me/player"},
                          {"user", "max"},
                          {"status", 429},
                          {"headers", {{"Retry-After", "8"}}},
                          {"count", 1}});

    auto response = world.probe.wait_for_json(
        "spotify2mqtt/lena/response", [](const Json& r) { return r["transaction"] == "c"; }, 15s);
    INFO(world.bridge_log());
    REQUIRE(response);
    INFO(response->payload);
    CHECK(response->json()["reason"] == "RATE_LIMITED");  // the second setting was not sent
    CHECK(response->json()["error"].get<std::string>().starts_with("Done: "));
    int64_t limited_at_us = 0;
    int64_t held_at_us = 0;
    for (const Json& request : world.fake.requests()) {
        if (request["status"] == 429) limited_at_us = request["mono_us"];
        if (request["user"] == "lena" && request["method"] == "PUT" && held_at_us == 0)
            held_at_us = request["mono_us"];
    }
    REQUIRE(limited_at_us > held_at_us);  // the command's call was out when the 429 came
    REQUIRE(held_at_us > 0);
    std::this_thread::sleep_for(1s);
    Json inside = inside_window(world, Held{limited_at_us, held_at_us}, 7950000);
    INFO(inside.dump());
    CHECK(inside.empty());
}
