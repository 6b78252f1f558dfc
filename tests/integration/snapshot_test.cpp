// Snapshot, restore and mute through the real binary (docs/mqtt-commands.md#snapshot-and-restore,
// #volume-and-mute): the player comes back exactly (device, context, item, position, volume,
// shuffle, repeat, playing or paused) with the calls in the documented order, also after the
// bridge was restarted; a mute's volume survives a restart; unknown names and bad values get one
// precise error and no Spotify write.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "CommandWorld.h"

using namespace s2m::test;

namespace {

const std::string kMorning = "spotify:playlist:plaliceMorning";  // t1 t3 t5 t7 (180 s each)
const std::string kEvening = "spotify:playlist:plaliceEvening";
const std::string kSpeaker = "fake-device-speaker";

Json alice() {
    return {{"id", "alice"},
            {"refresh_token", "rt-alice"},
            {"playback",
             {{"context_uri", kMorning},
              {"track_index", 2},
              {"progress_ms", 42000},
              {"device_id", kSpeaker},
              {"volume", 35},
              {"shuffle", true},
              {"repeat", "context"},
              {"is_playing", true}}}};
}

Json playback(CommandWorld& world) {
    return world.fake.user("alice")["playback"];
}

void check_ok(const CommandResult& result) {
    INFO(describe(result));
    REQUIRE(result.response);
    CHECK((*result.response)["status"] == "ok");
    CHECK(result.responses == 1);
}

std::vector<std::string> call_lines(const CommandResult& result) {
    std::vector<std::string> lines;
    for (const auto& call : result.calls) {
        std::string line = call.method + " " + call.path;
        for (const auto& [key, value] : call.query) line += " " + key + "=" + value;
        lines.push_back(line);
    }
    return lines;
}

// Something else entirely: another context and device, other volume, shuffle and repeat.
void play_something_else(CommandWorld& world) {
    check_ok(world.set({{"device", "Fake Phone"},
                        {"play", {{"uri", kEvening}, {"offset", 3}}},
                        {"volume", 70},
                        {"shuffle", false},
                        {"repeat", "off"}}));
    Json now = playback(world);
    REQUIRE(now["device_id"] == "fake-device-phone");
    REQUIRE(now["context_uri"] == kEvening);
    REQUIRE(now["is_playing"] == true);
}

void restart(CommandWorld& world) {
    REQUIRE(world.bridge->process().terminate_and_wait() == 0);
    world.probe.clear();
    world.bridge->start();
    REQUIRE(world.probe.wait_for_json(
        "spotify2mqtt/alice/availability", [](const Json& a) { return a["state"] == "online"; },
        15s));
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s.contains("state"); }));
}

}  // namespace

TEST_CASE("snapshot, something else, restore: the same player, calls in order",
          "[commands][snapshot]") {
    CommandWorld world(alice());
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(world.bridge_log());

    check_ok(world.send("set/snapshot", "true"));
    Json taken = playback(world);
    auto file = world.bridge->state_dir() / "player" / "alice" / "snapshot-default.json";
    REQUIRE(std::filesystem::exists(file));
    CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

    play_something_else(world);
    auto sent = std::chrono::steady_clock::now();
    CommandResult restored = world.set({{"restore", true}, {"transaction", "back"}});
    check_ok(restored);
    CHECK((*restored.response)["transaction"] == "back");
    // Device first, then the context at the item and position, then the settings.
    CHECK(call_lines(restored) ==
          std::vector<std::string>{"PUT /v1/me/player", "PUT /v1/me/player/play",
                                   "PUT /v1/me/player/volume volume_percent=35",
                                   "PUT /v1/me/player/shuffle state=true",
                                   "PUT /v1/me/player/repeat state=context"});
    REQUIRE(restored.calls.size() >= 2);
    CHECK(restored.calls[0].body["device_ids"] == Json::array({kSpeaker}));
    CHECK(restored.calls[1].body["context_uri"] == kMorning);
    CHECK(restored.calls[1].body["offset"]["uri"] == taken["item_uri"]);

    Json now = playback(world);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - sent)
                       .count();
    CHECK(now["device_id"] == kSpeaker);
    CHECK(now["context_uri"] == kMorning);
    CHECK(now["item_uri"] == taken["item_uri"]);
    int64_t drift = now["progress_ms"].get<int64_t>() - taken["progress_ms"].get<int64_t>();
    CHECK(drift >= -2000);
    CHECK(drift <= 2000 + elapsed);
    CHECK(now["volume"] == 35);
    CHECK(now["shuffle"] == true);
    CHECK(now["repeat"] == "context");
    CHECK(now["is_playing"] == true);
    // And the bridge shows it.
    CHECK(world.wait_state("alice", [&](const Json& s) {
        return s["state"] == "playing" && s["device"]["id"] == kSpeaker && s["volume"] == 35;
    }));
}

TEST_CASE(
    "a paused snapshot and a mute survive a restart, unknown names and bad values touch "
    "nothing",
    "[commands][snapshot]") {
    Json user = alice();
    user["playback"]["is_playing"] = false;
    user["playback"]["volume"] = 20;
    CommandWorld world(user);
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "paused"; }));
    INFO(world.bridge_log());

    check_ok(world.send("set/snapshot", "evening-news"));
    Json taken = playback(world);
    check_ok(world.send("set/mute", "true"));
    CHECK(playback(world)["volume"] == 0);
    CHECK(world.wait_state("alice", [](const Json& s) { return s["volume"] == 0; }));

    restart(world);
    // Unmute after the restart puts back the volume the mute set aside.
    CommandResult unmuted = world.send("set/mute", "false");
    check_ok(unmuted);
    CHECK(call_lines(unmuted) ==
          std::vector<std::string>{"PUT /v1/me/player/volume volume_percent=20"});
    CHECK(playback(world)["volume"] == 20);
    // Unmuting again has nothing to put back: no call.
    CommandResult again = world.send("set/mute", "false");
    check_ok(again);
    CHECK(again.calls.empty());

    play_something_else(world);
    CommandResult restored = world.send("set/restore", "evening-news");
    check_ok(restored);
    CHECK(call_lines(restored) ==
          std::vector<std::string>{
              "PUT /v1/me/player", "PUT /v1/me/player/play",
              "PUT /v1/me/player/volume volume_percent=20", "PUT /v1/me/player/shuffle state=true",
              "PUT /v1/me/player/repeat state=context", "PUT /v1/me/player/pause"});
    Json now = playback(world);
    CHECK(now["device_id"] == kSpeaker);
    CHECK(now["context_uri"] == kMorning);
    CHECK(now["item_uri"] == taken["item_uri"]);
    CHECK(std::llabs(now["progress_ms"].get<int64_t>() - taken["progress_ms"].get<int64_t>()) <=
          2000);
    CHECK(now["volume"] == 20);
    CHECK(now["shuffle"] == true);
    CHECK(now["repeat"] == "context");
    CHECK(now["is_playing"] == false);

    // One precise error each, and not a single Spotify call.
    const std::vector<std::tuple<std::string, std::string, std::string, std::string>> refused = {
        {"set", R"({"restore":"nope"})", "NOT_FOUND", "no snapshot named 'nope'"},
        {"set/restore", "nope", "NOT_FOUND", "no snapshot named 'nope'"},
        {"set", R"({"snapshot":"Bad Name"})", "INVALID_PAYLOAD", "lower-case letters"},
        {"set/restore", "false", "INVALID_PAYLOAD", "snapshot name"},
        {"set/volume", "+x", "INVALID_PAYLOAD", "\"+N\" or \"-N\""},
        {"set", R"({"mute":true,"volume":3})", "INVALID_PAYLOAD", "cannot be combined"},
        {"set/mute", "loud", "INVALID_PAYLOAD", "mute must be true or false"},
    };
    for (const auto& [suffix, payload, reason, words] : refused) {
        CommandResult result = world.send(suffix, payload);
        INFO(suffix << " " << payload << "\n" << describe(result));
        REQUIRE(result.response);
        CHECK((*result.response)["reason"] == reason);
        CHECK_THAT((*result.response)["error"].get<std::string>(), Catch::Contains(words));
        CHECK(result.responses == 1);
        CHECK(result.calls.empty());
    }
}

TEST_CASE("relative volume in both forms, clamped to 0-100", "[commands][volume]") {
    CommandWorld world(alice());
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["volume"] == 35; }));
    INFO(world.bridge_log());
    CommandResult up = world.set({{"volume", "+10"}});
    check_ok(up);
    CHECK(call_lines(up) == std::vector<std::string>{"PUT /v1/me/player/volume volume_percent=45"});
    CHECK(world.wait_state("alice", [](const Json& s) { return s["volume"] == 45; }));
    check_ok(world.send("set/volume", "-50"));
    CHECK(playback(world)["volume"] == 0);
    check_ok(world.send("set/volume", "+100"));
    CHECK(playback(world)["volume"] == 100);
}
