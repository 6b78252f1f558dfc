// set/boost (docs/mqtt-commands.md#boost) through the real broker against the fake Spotify: an
// idle account is read every few seconds while a boost runs and at its usual pace once it ends,
// and bad values are refused with a sentence. The clocks run 10x faster (time_scale_test.cpp),
// so a one-minute boost and the slow reads after it take seconds; every interval below is in the
// bridge's time: when the fake received each read (t_ms of its request log, real ms) times 10.
#include <catch2/catch.hpp>

#include <algorithm>

#include "BridgeWorld.h"
#include "core/PollSchedule.h"

using namespace s2m::test;

namespace {

constexpr double kScale = 10;

// When each player read since `since` arrived, in the bridge's (scaled) milliseconds.
std::vector<int64_t> player_reads(const FakeSpotifyClient& fake, int64_t since) {
    std::vector<int64_t> times;
    for (const Json& entry : fake.requests_to("GET", "/v1/me/player", since))
        times.push_back(
            static_cast<int64_t>(static_cast<double>(entry["t_ms"].get<int64_t>()) * kScale));
    return times;
}

int64_t longest_gap(const std::vector<int64_t>& times) {
    int64_t gap = 0;
    for (size_t i = 1; i < times.size(); ++i) gap = std::max(gap, times[i] - times[i - 1]);
    return gap;
}

}  // namespace

TEST_CASE("a boost makes an idle account's reads fast for its length, then slow again", "[boost]") {
    BridgeWorld world;
    world.fake.set_clock_speed(kScale);
    world.fake.create_user({{"id", "ida"}, {"display_name", "Ida"}, {"refresh_token", "rt-ida"}});
    BridgeOptions options = world.bridge_options(BridgeWorld::accounts({"ida"}));
    options.env = {{"SPOTIFY2MQTT_BENCH_TIME_SCALE", "10"}};
    world.bridge = std::make_unique<BridgeUnderTest>(options);
    REQUIRE(world.wait_state("ida", [](const Json& s) { return s["state"] == "idle"; }));

    auto send = [&](const std::string& key, const std::string& payload) {
        world.probe.clear();
        world.probe.publish("spotify2mqtt/ida/" + key, payload, 1);
        auto response = world.probe.wait_for("spotify2mqtt/ida/response", nullptr, 10s);
        REQUIRE(response);
        return response->json();
    };

    // Bad values: one sentence, nothing boosted.
    Json too_long = send("set/boost", "7200");
    CHECK(too_long["status"] == "error");
    CHECK(too_long["reason"] == "INVALID_PAYLOAD");
    CHECK(too_long["error"] ==
          "boost must be a number of seconds from 0 to 3600 (1 h; 0 ends a boost), or true for "
          "900 s; got 7200");
    Json word = send("set", R"({"boost":"soon","transaction":"b1"})");
    CHECK(word["reason"] == "INVALID_PAYLOAD");
    CHECK(word["transaction"] == "b1");

    // The Home Assistant button's form (an empty value: the default), and 0 to end it.
    Json pressed = send("set/boost", "");
    CHECK(pressed["status"] == "ok");
    CHECK(pressed["data"]["boost_s"] == 900);
    CHECK(pressed["data"]["boost_until"].is_string());
    Json ended = send("set/boost", "0");
    CHECK(ended["status"] == "ok");
    CHECK(ended["data"]["boost_until"].is_null());

    // A one-minute boost, combined with nothing else: no Spotify call but the reads.
    int64_t since = world.fake.last_seq();
    Json boosted = send("set", R"({"boost":60,"transaction":"b2"})");
    CHECK(boosted["status"] == "ok");
    CHECK(boosted["data"]["boost_s"] == 60);
    CHECK(boosted["transaction"] == "b2");
    // Wait for the slowdown: the first gap of at least 30 s between two reads (the idle pace is
    // 60 s). About 6 s of real time for the boost, then 6 s for the slow gap.
    std::vector<int64_t> reads;
    size_t slow = 0;  // the read that ends the first slow gap
    auto slowed_down = [&] {
        reads = player_reads(world.fake, since);
        for (slow = 1; slow < reads.size(); ++slow)
            if (reads[slow] - reads[slow - 1] >= 30000) return true;
        return false;
    };
    bool slowed = eventually(slowed_down, 40s);
    INFO("reads at (ms after the first): " << [&] {
        std::string list;
        for (int64_t t : reads) list += std::to_string(t - reads.front()) + " ";
        return list;
    }());
    INFO(world.bridge->log());
    REQUIRE(slowed);
    std::vector<int64_t> fast(reads.begin(), reads.begin() + static_cast<std::ptrdiff_t>(slow));
    // About 12 reads 5 s apart for the boost's minute, instead of one (generous bounds: a loaded
    // machine); the slow pace came back when the minute was over, not before, not much later.
    CHECK(fast.size() >= 6);
    CHECK(longest_gap(fast) <= 3 * s2m::kBoostIntervalMs);
    CHECK(fast.back() - fast.front() >= 45000);
    CHECK(fast.back() - fast.front() <= 75000);
    // Nothing but reads: a boost itself calls nothing.
    for (const Json& entry : world.fake.requests(since)) {
        INFO(entry.dump());
        CHECK((entry["method"] == "GET" || entry["path"] == "/api/token"));
    }
}
