// Accounts are isolated: however many accounts have Spotify calls hanging until their timeout,
// a healthy account's commands and polls go out at once (README: "a slow account never blocks
// another account or a command").
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "HangingAccountsWorld.h"

using namespace s2m::test;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start, Clock::time_point end) {
    return std::chrono::duration<double, std::milli>(end - start).count();
}

}  // namespace

TEST_CASE("hanging accounts from the config and the page never delay a healthy account",
          "[faults][isolation]") {
    const int hanging = GENERATE(2, 5);
    HangingAccountsWorld world(hanging);
    INFO(hanging << " hanging accounts");
    world.hang_all();
    // Their polls (every second) hang first, then a command each: both of their lanes are held.
    REQUIRE(world.wait_held(1, 10s));
    int64_t since = world.fake.last_seq();
    auto hanging_since = Clock::now();
    world.command_hanging_accounts();
    CHECK(world.wait_held(2, 5s));

    world.probe.clear();
    auto sent = Clock::now();
    world.probe.publish("spotify2mqtt/demo/set", R"({"volume":71,"transaction":"t1"})", 1);
    auto response = world.probe.wait_for_json(
        "spotify2mqtt/demo/response", [](const Json& r) { return r["transaction"] == "t1"; }, 15s);
    auto state = world.probe.wait_for_json(
        "spotify2mqtt/demo", [](const Json& s) { return s["volume"] == 71; }, 15s);
    INFO(world.bridge_log());
    REQUIRE(response);
    CHECK(response->json()["status"] == "ok");
    REQUIRE(state);
    // Loopback takes milliseconds; the bound is generous for loaded or sanitized runs.
    CHECK(ms_since(sent, response->received_at) < 1500);
    CHECK(ms_since(sent, state->received_at) < 1500);

    // Its polls kept their one-second schedule all the while: wait for five player reads since
    // the hangs began.
    auto demo_reads = [&] {
        Json reads = Json::array();
        for (const Json& read : world.fake.requests_to("GET", "/v1/me/player", since))
            if (read["user"] == "demo") reads.push_back(read);
        return reads;
    };
    auto deadline = Clock::now() + 15s;
    while (demo_reads().size() < 5 && Clock::now() < deadline) std::this_thread::sleep_for(100ms);
    Json reads = demo_reads();
    REQUIRE(reads.size() >= 5);
    int64_t previous_us =
        std::chrono::duration_cast<std::chrono::microseconds>(hanging_since.time_since_epoch())
            .count();  // the fake logs arrivals on the same clock
    for (const Json& read : reads) {
        int64_t at_us = read["mono_us"].get<int64_t>();
        CHECK(at_us - previous_us < 2000000);  // 1 s apart (sooner after the command)
        previous_us = at_us;
    }
    CHECK(world.bridge->process().running());
}
