// Listening habits through the real binary (docs/configuration.md#polling): a start the bridge
// sees is learned and kept in <state_dir>/habits/<account>.json (0600) at shutdown, read back at
// the next start, and a damaged file is removed with a warning while the bridge runs on.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>

#include "CommandWorld.h"
#include "core/ListeningHabits.h"
#include "support/Wait.h"

using namespace s2m::test;

namespace {

Json paused_alice() {
    return {{"id", "alice"},
            {"refresh_token", "rt-alice"},
            {"playback",
             {{"context_uri", "spotify:playlist:plaliceMorning"},
              {"track_index", 0},
              {"progress_ms", 1000},
              {"device_id", "fake-device-speaker"},
              {"volume", 35},
              {"is_playing", false}}}};
}

void restart_and_wait_online(CommandWorld& world) {
    world.probe.clear();
    world.bridge->start();
    REQUIRE(world.probe.wait_for_json(
        "spotify2mqtt/alice/availability", [](const Json& a) { return a["state"] == "online"; },
        15s));
}

double starts_in(const std::filesystem::path& file) {
    std::ifstream in(file);
    Json json = Json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.contains("starts")) return -1;
    double sum = 0;
    for (const Json& v : json["starts"]) sum += v.get<double>();
    return sum;
}

// Playback starts (here by a command; from a phone it would be the same to the poll) and the
// bridge reads the player twice after it.
void start_playback(CommandWorld& world) {
    auto result = world.send("set/command", "play");
    REQUIRE(result.response);
    REQUIRE((*result.response)["status"] == "ok");
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "playing"; }));
    // The state above is the command's own prediction; the start is learned from the poll that
    // shows it. The first read after the command may have gone out before it finished (and is
    // ignored): wait for two.
    int64_t since = world.fake.last_seq();
    REQUIRE(eventually(
        [&] { return world.fake.requests_to("GET", "/v1/me/player", since).size() >= 2; }, 30s));
}

int64_t unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("a learned start is kept across a restart and a damaged habits file is dropped",
          "[habits]") {
    CommandWorld world(paused_alice());
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "paused"; }));
    INFO(world.bridge_log());
    start_playback(world);

    REQUIRE(world.bridge->process().terminate_and_wait() == 0);
    auto file = world.bridge->state_dir() / "habits" / "alice.json";
    REQUIRE(std::filesystem::exists(file));
    CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    {
        std::ifstream in(file);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        INFO(text);
        CHECK(starts_in(file) >= 0.9);  // decays a little; one start at least
    }
    CHECK(std::filesystem::file_size(file) < 16 * 1024);

    // Read back at the next start: no warning, and kept again at shutdown.
    restart_and_wait_online(world);
    REQUIRE(world.bridge->process().terminate_and_wait() == 0);
    CHECK(world.bridge_log().find("not usable") == std::string::npos);
    CHECK(starts_in(file) >= 0.9);

    // Damaged: removed with a warning, and the bridge runs on.
    {
        std::ofstream out(file, std::ios::trunc);
        out << "{\"version\": 1, \"starts\": [";
    }
    restart_and_wait_online(world);
    CHECK(world.bridge_log().find("not usable") != std::string::npos);
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s.contains("state"); }));
}

TEST_CASE("the habits count hours of the machine's local time (TZ)", "[habits]") {
    CommandWorld world(paused_alice());
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "paused"; }));
    REQUIRE(world.bridge->process().terminate_and_wait() == 0);
    // The same bridge with its local time three hours ahead of UTC (a POSIX TZ: no tzdata).
    Json config = world.bridge->config();
    config.erase("state_dir");  // the new bridge's own
    BridgeOptions options = world.bridge_options(config);
    options.env["TZ"] = "EAT-3";
    world.probe.clear();
    world.bridge = std::make_unique<BridgeUnderTest>(options);  // starts it
    bool online = world.probe
                      .wait_for_json(
                          "spotify2mqtt/alice/availability",
                          [](const Json& a) { return a["state"] == "online"; }, 15s)
                      .has_value();
    INFO(world.bridge_log());
    REQUIRE(online);
    CHECK(world.bridge_log().find("local time: UTC+03:00 (EAT)") != std::string::npos);
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "paused"; }));
    const int64_t before = unix_ms();
    start_playback(world);
    const int64_t after = unix_ms();
    REQUIRE(world.bridge->process().terminate_and_wait() == 0);

    std::ifstream in(world.bridge->state_dir() / "habits" / "alice.json");
    Json habits = Json::parse(in, nullptr, false);
    REQUIRE(habits.contains("starts"));
    CHECK(habits["version"] == 2);
    // The start sits in the hour of the week it was in local time, not in UTC.
    constexpr int64_t kThreeHours = 3 * 3600 * 1000;
    std::set<int> local_hours = {s2m::hour_of_week(before + kThreeHours),
                                 s2m::hour_of_week(after + kThreeHours)};
    int found = -1;
    for (int w = 0; w < 168; ++w)
        if (habits["starts"][w].get<double>() > 0.5) found = w;
    CHECK(local_hours.count(found) == 1);
}
