// Relative volume and mute (docs/mqtt-commands.md#volume-and-mute): their values in both forms,
// the clamp, the fresh look when the volume is unknown, what mute sets aside and unmute puts
// back, and the predicted volume.
#include <catch2/catch.hpp>

#include "core/Command.h"
#include "core/CommandPlan.h"

using namespace s2m;

namespace {

Device vol_speaker(int volume) {
    Device d;
    d.id = "spk";
    d.name = "Kitchen";
    d.type = "Speaker";
    d.is_active = true;
    d.supports_volume = true;
    d.volume = volume;
    return d;
}

AccountKnowledge vol_playing_at(std::optional<int> volume) {
    AccountKnowledge k;
    PlaybackState s;
    s.state = PlayerState::Playing;
    s.track = Track{"spotify:track:t1", "One", {"Band"}, "LP", std::nullopt, 200000, "track"};
    s.device = vol_speaker(volume.value_or(0));
    if (!volume) s.device->volume.reset();
    s.volume = volume;
    k.state = s;
    k.devices = std::vector<Device>{*s.device};
    return k;
}

CommandSet vol_parsed(std::string_view key, std::string_view payload) {
    CommandParse parse = parse_command(key, payload);
    INFO(key << " " << payload << " → " << (parse.ok() ? "ok" : parse.error().message));
    REQUIRE(parse.ok());
    return parse.commands();
}

std::string vol_refused(std::string_view key, std::string_view payload) {
    CommandParse parse = parse_command(key, payload);
    REQUIRE_FALSE(parse.ok());
    CHECK(parse.error().reason == "INVALID_PAYLOAD");
    return parse.error().message;
}

CommandPlan vol_as_plan(const PlanOutcome& outcome) {
    if (auto* error = std::get_if<CommandError>(&outcome)) FAIL(error->message);
    REQUIRE(std::holds_alternative<CommandPlan>(outcome));
    return std::get<CommandPlan>(outcome);
}

// The volume_percent of the plan's single call, or -1 when it makes none.
int vol_volume_sent(const CommandPlan& plan) {
    if (plan.calls.empty()) return -1;
    REQUIRE(plan.calls.size() == 1);
    const std::string& path = plan.calls[0].path;
    REQUIRE(path.starts_with("/me/player/volume?volume_percent="));
    return std::stoi(path.substr(path.find('=') + 1));
}

}  // namespace

TEST_CASE("volume takes +N and -N in both forms, numbers stay absolute", "[command][volume]") {
    CHECK(vol_parsed("", R"({"volume":"+5"})").volume_step == 5);
    CHECK(vol_parsed("", R"({"volume":" -10 "})").volume_step == -10);
    CHECK(vol_parsed("volume", "+5").volume_step == 5);
    CHECK(vol_parsed("volume", "-10").volume_step == -10);  // not the JSON number -10
    CHECK(vol_parsed("volume", "+0").volume_step == 0);
    CHECK(vol_parsed("volume", "+100").volume_step == 100);
    CHECK(vol_parsed("volume", "40").volume == 40);
    CHECK_FALSE(vol_parsed("volume", "40").volume_step);

    CHECK_THAT(vol_refused("", R"({"volume":-10})"), Catch::Contains("from 0 to 100"));
    CHECK_THAT(vol_refused("volume", "+101"), Catch::Contains("\"+N\" or \"-N\""));
    CHECK_THAT(vol_refused("volume", "+-5"), Catch::Contains("got \"+-5\""));
    CHECK_THAT(vol_refused("volume", "-"), Catch::Contains("\"+N\" or \"-N\""));
    CHECK_THAT(vol_refused("volume", "+five"), Catch::Contains("\"+N\" or \"-N\""));
}

TEST_CASE("mute takes booleans and the media player's mute/unmute, never with a volume",
          "[command][volume]") {
    CHECK(vol_parsed("mute", "true").mute == true);
    CHECK(vol_parsed("mute", "OFF").mute == false);
    CHECK(vol_parsed("mute", "mute").mute == true);
    CHECK(vol_parsed("mute", "unmute").mute == false);
    CHECK(vol_parsed("", R"({"mute":false})").mute == false);
    CHECK_THAT(vol_refused("mute", "loud"), Catch::Contains("mute must be true or false"));
    CHECK_THAT(vol_refused("", R"({"mute":true,"volume":20})"),
               Catch::Contains("cannot be combined"));
    CHECK_THAT(vol_refused("", R"({"mute":true,"volume_level":0.2})"),
               Catch::Contains("cannot be combined"));
}

TEST_CASE("a relative volume is clamped to 0-100 and predicted", "[command][volume]") {
    auto plan_step = [](int at, const char* step) {
        return vol_as_plan(plan_commands(vol_parsed("volume", step), vol_playing_at(at)));
    };
    CHECK(vol_volume_sent(plan_step(40, "+5")) == 45);
    CHECK(vol_volume_sent(plan_step(40, "-10")) == 30);
    CHECK(vol_volume_sent(plan_step(97, "+5")) == 100);
    CHECK(vol_volume_sent(plan_step(3, "-10")) == 0);

    CommandSet up = vol_parsed("volume", "+5");
    CommandPlan plan = plan_step(40, "+5");
    PlaybackState after = predicted_state(*vol_playing_at(40).state, up, plan, 0);
    CHECK(after.volume == 45);
    CHECK(after.device->volume == 45);
}

TEST_CASE("a relative volume the bridge cannot know takes a fresh look first",
          "[command][volume]") {
    CommandSet up = vol_parsed("volume", "+5");
    AccountKnowledge unknown = vol_playing_at(std::nullopt);
    CHECK(std::get<Refresh>(plan_commands(up, unknown)) == Refresh::State);

    AccountKnowledge idle;
    idle.state = PlaybackState{};
    CHECK(std::get<Refresh>(plan_commands(up, idle)) == Refresh::State);
    idle.fresh_state = true;
    auto nothing = std::get<CommandError>(plan_commands(up, idle));
    CHECK(nothing.reason == "NO_ACTIVE_DEVICE");
    CHECK_THAT(nothing.message, Catch::StartsWith("Cannot change the volume by +5"));

    unknown.fresh_state = true;
    auto silent = std::get<CommandError>(plan_commands(up, unknown));
    CHECK(silent.reason == "VOLUME_CONTROL_DISALLOW");
    CHECK_THAT(silent.message, Catch::Contains("reports no volume for 'Kitchen'"));
}

TEST_CASE("mute sets the volume aside, unmute puts it back, both are idempotent",
          "[command][volume]") {
    CommandSet mute = vol_parsed("mute", "true");
    CommandSet unmute = vol_parsed("mute", "false");

    CommandPlan muted = vol_as_plan(plan_commands(mute, vol_playing_at(60)));
    CHECK(vol_volume_sent(muted) == 0);
    CHECK(muted.memory.muted_volume == 60);
    CHECK(predicted_state(*vol_playing_at(60).state, mute, muted, 0).volume == 0);

    // Muted already (volume 0): nothing to send, the earlier volume stays set aside.
    AccountKnowledge silent = vol_playing_at(0);
    silent.muted_volume = 60;
    CommandPlan again = vol_as_plan(plan_commands(mute, silent));
    CHECK(vol_volume_sent(again) == -1);
    CHECK(again.memory == PlayerMemoryChange{});

    CommandPlan back = vol_as_plan(plan_commands(unmute, silent));
    CHECK(vol_volume_sent(back) == 60);
    CHECK(back.memory.unmuted);
    CHECK(predicted_state(*silent.state, unmute, back, 0).volume == 60);

    // Unmute with nothing set aside: no call, not even a look at Spotify.
    AccountKnowledge unknown = vol_playing_at(std::nullopt);
    CommandPlan nothing = vol_as_plan(plan_commands(unmute, unknown));
    CHECK(nothing.calls.empty());
    CHECK_FALSE(nothing.memory.unmuted);

    // A volume was set since the mute: unmute keeps it and forgets the old one.
    AccountKnowledge raised = vol_playing_at(25);
    raised.muted_volume = 60;
    CommandPlan kept = vol_as_plan(plan_commands(unmute, raised));
    CHECK(kept.calls.empty());
    CHECK(kept.memory.unmuted);

    // Mute with the volume unknown: a fresh look first.
    CHECK(std::get<Refresh>(plan_commands(mute, unknown)) == Refresh::State);
}
