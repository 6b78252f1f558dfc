// Snapshot and restore (docs/mqtt-commands.md#snapshot-and-restore): the names, what a snapshot
// holds, its file form (a file that is not one reads as absent), and the order of a restore's
// calls for a playing, a paused and an idle snapshot.
#include <catch2/catch.hpp>

#include "core/Command.h"
#include "core/CommandPlan.h"
#include "core/PlayerSnapshot.h"

using namespace s2m;

namespace {

Device snap_device(std::string id, std::string name, bool active) {
    Device d;
    d.id = std::move(id);
    d.name = std::move(name);
    d.type = "Speaker";
    d.is_active = active;
    d.supports_volume = true;
    d.volume = 50;
    return d;
}

PlaybackState snap_playing_album_on(const Device& on) {
    PlaybackState s;
    s.state = PlayerState::Playing;
    s.track = Track{"spotify:track:t2", "Two", {"Band"}, "LP", std::nullopt, 200000, "track"};
    s.context = PlaybackContext{"spotify:album:a1", "album", "LP"};
    s.position_ms = 61000;
    s.device = on;
    s.volume = 35;
    s.shuffle = true;
    s.repeat = "context";
    return s;
}

PlayerSnapshot snap_kitchen_snapshot(PlayerState state) {
    PlayerSnapshot s = snapshot_of(snap_playing_album_on(snap_device("kit", "Kitchen", true)));
    s.state = state;
    return s;
}

// Now: a playlist on the phone, with other settings.
AccountKnowledge snap_now_on_phone(std::optional<PlayerSnapshot> restoring) {
    Device phone = snap_device("ph", "Phone", true);
    AccountKnowledge k;
    PlaybackState s;
    s.state = PlayerState::Playing;
    s.track = Track{"spotify:track:x9", "Other", {"Else"}, "", std::nullopt, 100000, "track"};
    s.device = phone;
    s.volume = 80;
    k.state = s;
    k.devices = std::vector<Device>{phone, snap_device("kit", "Kitchen", false)};
    k.restoring = std::move(restoring);
    return k;
}

CommandSet snap_parsed(std::string_view key, std::string_view payload) {
    CommandParse parse = parse_command(key, payload);
    INFO(payload << " → " << (parse.ok() ? "ok" : parse.error().message));
    REQUIRE(parse.ok());
    return parse.commands();
}

std::vector<std::string> snap_lines(const CommandPlan& plan) {
    std::vector<std::string> out;
    for (const auto& call : plan.calls)
        out.push_back(call.method + " " + call.path + (call.body ? " " + call.body->dump() : ""));
    return out;
}

CommandPlan snap_as_plan(const PlanOutcome& outcome) {
    if (auto* error = std::get_if<CommandError>(&outcome)) FAIL(error->message);
    REQUIRE(std::holds_alternative<CommandPlan>(outcome));
    return std::get<CommandPlan>(outcome);
}

}  // namespace

TEST_CASE("snapshot names: a-z 0-9 - _ up to 64, true is default, others refused precisely",
          "[snapshot]") {
    CHECK(snap_parsed("", R"({"snapshot":true})").snapshot == "default");
    CHECK(snap_parsed("snapshot", "true").snapshot == "default");
    CHECK(snap_parsed("snapshot", "doorbell").snapshot == "doorbell");
    CHECK(snap_parsed("restore", "7").restore == "7");
    CHECK(snap_parsed("restore", "tts_kitchen-2").restore == "tts_kitchen-2");
    CHECK(snap_parsed("", R"({"restore":" doorbell "})").restore == "doorbell");
    CHECK(snap_parsed("restore", std::string(64, 'a')).restore == std::string(64, 'a'));
    for (const std::string& bad :
         std::vector<std::string>{R"("Doorbell")", R"("../x")", R"("a b")", R"("")", "false", "1.5",
                                  R"("ä")", "\"" + std::string(65, 'a') + "\"", "[1]"}) {
        CommandParse parse = parse_command("", R"({"restore":)" + bad + "}");
        INFO(bad);
        REQUIRE_FALSE(parse.ok());
        CHECK(parse.error().reason == "INVALID_PAYLOAD");
        CHECK_THAT(parse.error().message,
                   Catch::StartsWith("restore takes a snapshot name of 1 to 64 lower-case"));
    }
    CHECK(is_snapshot_name("a-b_9"));
    CHECK_FALSE(is_snapshot_name("A"));
}

TEST_CASE("a snapshot is taken from a fresh look and holds everything restore needs",
          "[snapshot]") {
    CommandSet take = snap_parsed("snapshot", "true");
    AccountKnowledge k = snap_now_on_phone(std::nullopt);
    CHECK(std::get<Refresh>(plan_commands(take, k)) == Refresh::State);
    k.state = snap_playing_album_on(snap_device("kit", "Kitchen", true));
    k.fresh_state = true;
    CommandPlan plan = snap_as_plan(plan_commands(take, k));
    CHECK(plan.calls.empty());
    REQUIRE(plan.memory.snapshot);
    const PlayerSnapshot& s = *plan.memory.snapshot;
    CHECK(s.state == PlayerState::Playing);
    CHECK(s.device_id == "kit");
    CHECK(s.device_name == "Kitchen");
    CHECK(s.context_uri == "spotify:album:a1");
    CHECK(s.item_uri == "spotify:track:t2");
    CHECK(s.position_ms == 61000);
    CHECK(s.volume == 35);
    CHECK(s.shuffle == true);
    CHECK(s.repeat == "context");

    // Its file form reads back the same; anything else is not a snapshot.
    CHECK(snapshot_from_json(to_json(s)).value() == s);
    for (const char* bad :
         {"[]", "{}", R"({"version":2,"state":"playing"})", R"({"version":1,"state":"loud"})",
          R"({"version":1,"state":"playing"})",
          R"({"version":1,"state":"paused","item_uri":"spotify:track:t","volume":300})",
          R"({"version":1,"state":"idle","position_ms":"x"})"}) {
        INFO(bad);
        CHECK_FALSE(snapshot_from_json(nlohmann::json::parse(bad)));
    }
}

TEST_CASE(
    "restore of a playing snapshot: device, context at the item and position, volume, "
    "shuffle, repeat - in that order",
    "[snapshot]") {
    CommandSet restore = snap_parsed("restore", "true");
    AccountKnowledge k = snap_now_on_phone(snap_kitchen_snapshot(PlayerState::Playing));
    CommandPlan plan = snap_as_plan(plan_commands(restore, k));
    CHECK(
        snap_lines(plan) ==
        std::vector<std::string>{
            R"(PUT /me/player {"device_ids":["kit"],"play":true})",
            R"(PUT /me/player/play {"context_uri":"spotify:album:a1","offset":{"uri":"spotify:track:t2"},"position_ms":61000})",
            "PUT /me/player/volume?volume_percent=35", "PUT /me/player/shuffle?state=true",
            "PUT /me/player/repeat?state=context"});
    CHECK_FALSE(plan.predictable);  // Spotify starts it: a poll confirms
    CHECK(plan.target->id == "kit");
}

TEST_CASE("restore of a paused snapshot ends with pause, from idle it plays on its device",
          "[snapshot]") {
    CommandSet restore = snap_parsed("restore", "doorbell");
    PlayerSnapshot paused = snap_kitchen_snapshot(PlayerState::Paused);
    paused.context_uri.reset();  // a list of tracks, not a context
    paused.shuffle.reset();
    AccountKnowledge k;
    k.state = PlaybackState{};
    k.devices = snap_now_on_phone(std::nullopt).devices;
    k.restoring = paused;
    CommandPlan plan = snap_as_plan(plan_commands(restore, k));
    CHECK(
        snap_lines(plan) ==
        std::vector<std::string>{
            R"(PUT /me/player/play?device_id=kit {"position_ms":61000,"uris":["spotify:track:t2"]})",
            "PUT /me/player/volume?volume_percent=35", "PUT /me/player/repeat?state=context",
            "PUT /me/player/pause"});
    CHECK(plan.transport == Transport::Pause);
}

TEST_CASE(
    "restore starts an artist's or a show's item on its own: offsets are for albums and "
    "playlists",
    "[snapshot]") {
    PlayerSnapshot artist = snap_kitchen_snapshot(PlayerState::Playing);
    artist.context_uri = "spotify:artist:ar1";
    CommandPlan plan =
        snap_as_plan(plan_commands(snap_parsed("restore", "true"), snap_now_on_phone(artist)));
    REQUIRE(plan.calls.size() >= 2);
    CHECK(*plan.calls[1].body ==
          nlohmann::json{{"uris", {"spotify:track:t2"}}, {"position_ms", 61000}});
}

TEST_CASE("restore of an idle snapshot pauses, or does nothing when nothing plays", "[snapshot]") {
    CommandSet restore = snap_parsed("restore", "true");
    AccountKnowledge playing = snap_now_on_phone(PlayerSnapshot{});
    CHECK(snap_lines(snap_as_plan(plan_commands(restore, playing))) ==
          std::vector<std::string>{"PUT /me/player/pause"});

    AccountKnowledge idle;
    idle.state = PlaybackState{};
    idle.restoring = PlayerSnapshot{};
    CHECK(std::get<Refresh>(plan_commands(restore, idle)) == Refresh::State);
    idle.fresh_state = true;
    CHECK(snap_as_plan(plan_commands(restore, idle)).calls.empty());
}

TEST_CASE("restore to a device that is gone looks again, then says which one", "[snapshot]") {
    CommandSet restore = snap_parsed("restore", "true");
    AccountKnowledge k = snap_now_on_phone(snap_kitchen_snapshot(PlayerState::Playing));
    k.devices = std::vector<Device>{snap_device("ph", "Phone", true)};
    CHECK(std::get<Refresh>(plan_commands(restore, k)) == Refresh::Devices);
    k.fresh_devices = true;
    auto gone = std::get<CommandError>(plan_commands(restore, k));
    CHECK(gone.reason == "UNKNOWN_DEVICE");
    CHECK_THAT(gone.message, Catch::StartsWith("The snapshot was taken on 'Kitchen', which "
                                               "Spotify does not list now"));

    k.restoring.reset();  // the bridge looks it up first; the planner still never guesses
    CHECK(std::get<CommandError>(plan_commands(restore, k)).reason == "NOT_FOUND");
}
