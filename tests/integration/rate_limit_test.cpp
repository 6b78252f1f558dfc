// The rate-limit gate through the real binary: QUOTA_EXCEEDED closes the gate for an hour with
// its own event, availability and command answer; polls of many accounts are paced by
// polling.max_requests_per_minute while a command still goes out at once.
#include <catch2/catch.hpp>

#include <thread>

#include "BridgeWorld.h"

using namespace s2m::test;

namespace {

Json two_accounts(Json polling) {
    return Json::object({{"accounts", BridgeWorld::accounts({"lena", "max"})["accounts"]},
                         {"polling", std::move(polling)}});
}

}  // namespace

TEST_CASE("QUOTA_EXCEEDED closes the gate for an hour and says why", "[faults][rate_limit]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("lena", 120000));
    world.fake.create_user(short_playlist_user("max", 120000));
    world.start_bridge(two_accounts({{"playing_interval_s", 1}}));
    REQUIRE(world.wait_state("lena", [](const Json& s) { return s["state"] == "playing"; }));
    REQUIRE(world.wait_state("max", [](const Json& s) { return s["state"] == "playing"; }));

    // Spotify's answer when the app's quota is used up: no Retry-After, a reason in the body.
    world.fake.add_fault(
        {{"path", "/v1/me/player"},
         {"status", 429},
         {"body",
          {{"error",
            {{"status", 429}, {"message", "Quota exceeded"}, {"reason", "QUOTA_EXCEEDED"}}}}},
         {"count", 1}});
    auto event = world.probe.wait_for_json(
        "spotify2mqtt/bridge/event", [](const Json& e) { return e["type"] == "quota_exceeded"; },
        5s);
    INFO(world.bridge_log());
    REQUIRE(event);
    CHECK_THAT(event->json()["message"].get<std::string>(), Catch::Contains("extended quota"));
    // The other account's poll may have been out already and finishes its calls: the window is
    // judged from when the fake's log has gone quiet (no request for a second; unlimited, both
    // accounts would ask every second).
    int64_t after = -1;
    REQUIRE(eventually(
        [&] {
            int64_t seq = world.fake.last_seq();
            bool quiet = seq == after;
            after = seq;
            return quiet;
        },
        15s, 1s));

    // Both accounts are offline for about an hour, with the time it ends.
    for (const char* name : {"lena", "max"}) {
        auto availability = world.probe.wait_for_json(
            std::string("spotify2mqtt/") + name + "/availability",
            [](const Json& a) { return a.value("reason", "") == "rate_limited"; }, 5s);
        REQUIRE(availability);
        CHECK(availability->json()["until"].is_string());
    }
    auto diagnostics = world.probe.wait_for_json(
        "spotify2mqtt/max/diagnostics", [](const Json& d) { return d["rate_limited"] == true; },
        5s);
    REQUIRE(diagnostics);

    // A command is answered at once, without a request, with how long to wait.
    world.probe.publish("spotify2mqtt/lena/set", R"({"volume":20,"transaction":"q"})", 1);
    auto response = world.probe.wait_for_json(
        "spotify2mqtt/lena/response", [](const Json& r) { return r["transaction"] == "q"; }, 5s);
    REQUIRE(response);
    CHECK(response->json()["reason"] == "RATE_LIMITED");
    CHECK(response->json()["retry_after_s"].get<int>() > 3500);

    std::this_thread::sleep_for(3s);
    INFO(world.fake.requests(after).dump());
    CHECK(world.fake.requests(after).empty());  // not one request in the window
}

TEST_CASE("polls of all accounts are paced, and a command still goes at once",
          "[faults][rate_limit]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("lena", 120000));
    world.fake.create_user(short_playlist_user("max", 120000));
    // Two accounts asking every second, but only 30 requests a minute allowed: after the first
    // burst, one poll every 2 s for both together.
    world.start_bridge(two_accounts({{"playing_interval_s", 1}, {"max_requests_per_minute", 30}}));
    REQUIRE(world.wait_state("lena", [](const Json& s) { return s["state"] == "playing"; }));
    REQUIRE(world.wait_state("max", [](const Json& s) { return s["state"] == "playing"; }));
    std::this_thread::sleep_for(3s);  // the start-up burst is spent
    int64_t since = world.fake.last_seq();
    std::this_thread::sleep_for(10s);
    Json paced = world.fake.requests(since);
    INFO(paced.dump());
    // 10 s at 30/min is 5 requests (6 if a refill lands on the edge); unpaced it would be 20.
    CHECK(paced.size() <= 6);
    CHECK(paced.size() >= 3);  // and polling goes on

    // A command is not held back by the pace.
    since = world.fake.last_seq();
    auto sent = std::chrono::steady_clock::now();
    world.probe.publish("spotify2mqtt/max/set/volume", "33", 1);
    auto response = world.probe.wait_for_json("spotify2mqtt/max/response", nullptr, 5s);
    REQUIRE(response);
    CHECK(response->json()["status"] == "ok");
    CHECK(std::chrono::steady_clock::now() - sent < 3s);
    CHECK(world.fake.requests_to("PUT", "/v1/me/player/volume", since).size() == 1);

    // Nor is the read that shows a command's result: the next track appears at once, not when
    // the pace would next allow a poll.
    auto before = world.wait_state("max", [](const Json& s) { return s["track"].is_object(); });
    REQUIRE(before);
    std::string track = (*before)["track"]["uri"];
    world.probe.clear();
    sent = std::chrono::steady_clock::now();
    world.probe.publish("spotify2mqtt/max/set/command", "next", 1);
    auto after = world.wait_state(
        "max", [&](const Json& s) { return s["track"].is_object() && s["track"]["uri"] != track; },
        5s);
    REQUIRE(after);
    CHECK(std::chrono::steady_clock::now() - sent < 1500ms);  // before the 1.5 s confirmation
}

TEST_CASE("a 429 silences the accounts of that Spotify app only", "[faults][rate_limit]") {
    BridgeWorld world;
    // nora is linked through a second app of her own (a development-mode app links at most 5
    // users); lena and max share the default app.
    world.fake.register_app("second-app", "second-secret", {"http://127.0.0.1:8888/callback"});
    for (const char* name : {"lena", "max", "nora"})
        world.fake.create_user(short_playlist_user(name, 120000));
    Json accounts = BridgeWorld::accounts({"lena", "max", "nora"})["accounts"];
    accounts[2]["client_id"] = "second-app";
    accounts[2]["client_secret"] = "second-secret";
    world.start_bridge({{"accounts", accounts}, {"polling", {{"playing_interval_s", 1}}}});
    for (const char* name : {"lena", "max", "nora"})
        REQUIRE(world.wait_state(name, [](const Json& s) { return s["state"] == "playing"; }));

    // Every call of nora's goes out under her app, from the token refresh on.
    Json all = world.fake.requests();
    int nora_calls = 0;
    for (const Json& request : all) {
        if (request["user"] != "nora") continue;
        ++nora_calls;
        INFO(request.dump());
        CHECK(request["client_id"] == "second-app");
    }
    CHECK(nora_calls >= 2);  // the refresh and at least one read

    world.fake.add_fault({{"path", "/v1/me/player"},
                          {"user", "lena"},
                          {"status", 429},
                          {"headers", {{"Retry-After", "4"}}},
                          {"count", 1}});
    auto event = world.probe.wait_for_json(
        "spotify2mqtt/bridge/event", [](const Json& e) { return e["type"] == "rate_limited"; }, 5s);
    INFO(world.bridge_log());
    REQUIRE(event);
    // Judged by when the fake received each request (a loaded machine stretches the test's own
    // sleeps past the window): the 4 s from the 429 on.
    int64_t after_429 = world.fake.last_seq();
    int64_t limited_at_us = 0;
    for (const Json& request : world.fake.requests())
        if (request["status"] == 429) limited_at_us = request["mono_us"];
    REQUIRE(limited_at_us > 0);
    auto lena_read = [&] {
        for (const Json& request : world.fake.requests(after_429))
            if (request["user"] == "lena") return true;
        return false;
    };
    // After the window the default app's accounts are read again.
    CHECK(eventually(lena_read, 15s));
    Json after = world.fake.requests(after_429);
    INFO(after.dump());
    int default_app_early = 0;
    int second_app_during = 0;
    for (const Json& request : after) {
        bool during = request["mono_us"].get<int64_t>() - limited_at_us < 3950000;
        if (during && request["client_id"] == "fake-client-id") ++default_app_early;
        if (during && request["client_id"] == "second-app") ++second_app_during;
    }
    CHECK(default_app_early == 0);  // neither lena nor max asked anything inside the window
    CHECK(second_app_during >= 2);  // nora's app is not limited: she is read every second
}
