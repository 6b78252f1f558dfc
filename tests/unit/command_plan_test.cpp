// Planning commands into Web API calls: device resolution, the fixed order, the refresh-first
// rules, predicted state and the error sentences.
#include <catch2/catch.hpp>

#include "core/CommandPlan.h"
#include "spotify/Endpoints.h"

using namespace s2m;

namespace {

Device device(std::string id, std::string name, bool active = false, bool restricted = false,
              bool volume = true) {
    Device d;
    d.id = std::move(id);
    d.name = std::move(name);
    d.type = "Speaker";
    d.is_active = active;
    d.is_restricted = restricted;
    d.supports_volume = volume;
    d.volume = 50;
    return d;
}

AccountKnowledge playing_on(const Device& active) {
    AccountKnowledge k;
    PlaybackState s;
    s.state = PlayerState::Playing;
    s.track = Track{"spotify:track:t1", "One", {"Band"}, "LP", std::nullopt, 200000, "track"};
    s.position_ms = 1000;
    s.position_updated_at_ms = 10000;
    s.device = active;
    s.volume = 50;
    k.state = s;
    k.devices = std::vector<Device>{active, device("phone", "Phone")};
    k.user_id = "alice";
    return k;
}

AccountKnowledge idle(std::vector<Device> devices, bool fresh = true) {
    AccountKnowledge k;
    k.state = PlaybackState{};
    k.devices = std::move(devices);
    k.fresh_state = k.fresh_devices = fresh;
    return k;
}

CommandPlan as_plan(const PlanOutcome& outcome) {
    if (auto* error = std::get_if<CommandError>(&outcome)) FAIL(error->message);
    REQUIRE(std::holds_alternative<CommandPlan>(outcome));
    return std::get<CommandPlan>(outcome);
}

std::string as_reason(const PlanOutcome& outcome) {
    REQUIRE(std::holds_alternative<CommandError>(outcome));
    return std::get<CommandError>(outcome).reason;
}

std::vector<std::string> paths(const CommandPlan& plan) {
    std::vector<std::string> out;
    for (const auto& call : plan.calls) out.push_back(call.method + " " + call.path);
    return out;
}

const Device kSpeaker = device("spk", "Kitchen Speaker", true);

}  // namespace

TEST_CASE("devices are found by id, then by name ignoring case, the active one first",
          "[command_plan]") {
    std::vector<Device> devices{device("a", "Kitchen"), device("b", "kitchen", true),
                                device("c", "Office")};
    CHECK(find_device(devices, "c")->name == "Office");
    CHECK(*find_device(devices, "KITCHEN")->id == "b");  // the active one of two
    devices[1].is_active = false;
    CHECK(*find_device(devices, "KITCHEN")->id == "a");  // else the first listed
    CHECK(find_device(devices, "Garage") == nullptr);
    CHECK(describe_devices(devices) == "Kitchen (Speaker), kitchen (Speaker), Office (Speaker)");
    CHECK(describe_devices({}) == "none");
}

TEST_CASE("keys run in the fixed order whatever the JSON order", "[command_plan]") {
    CommandSet c;
    c.command = Transport::Next;
    c.like = true;
    c.queue = "spotify:track:q";
    c.position_ms = 5000;
    c.volume = 30;
    c.repeat = "context";
    c.shuffle = true;
    c.device = "Phone";
    const CommandPlan plan = as_plan(plan_commands(c, playing_on(kSpeaker)));
    CHECK(paths(plan) == std::vector<std::string>{
                             "PUT /me/player", "PUT /me/player/shuffle?state=true",
                             "PUT /me/player/repeat?state=context",
                             "PUT /me/player/volume?volume_percent=30",
                             "PUT /me/player/seek?position_ms=5000",
                             "POST /me/player/queue?uri=spotify%3Atrack%3Aq",
                             "PUT /me/library?uris=spotify%3Atrack%3At1", "POST /me/player/next"});
    CHECK(plan.calls[0].body == nlohmann::json{{"device_ids", {"phone"}}, {"play", true}});
    CHECK_FALSE(plan.predictable);  // next: the track is Spotify's to tell
}

TEST_CASE("a device and play together are one play call on that device", "[command_plan]") {
    CommandSet c;
    c.device = "phone";
    c.play = PlayTarget{};
    c.play->context_uri = "spotify:album:a1";
    c.play->offset = PlayOffset{3, std::nullopt};
    const CommandPlan plan = as_plan(plan_commands(c, playing_on(kSpeaker)));
    REQUIRE(plan.calls.size() == 1);
    CHECK(plan.calls[0].path == "/me/player/play?device_id=phone");
    CHECK(plan.calls[0].body ==
          nlohmann::json{{"context_uri", "spotify:album:a1"}, {"offset", {{"position", 3}}}});
    CHECK(plan.target->name == "Phone");
}

TEST_CASE("moving to the device already playing costs no call", "[command_plan]") {
    CommandSet c;
    c.device = "kitchen speaker";
    const CommandPlan plan = as_plan(plan_commands(c, playing_on(kSpeaker)));
    CHECK(plan.calls.empty());
}

TEST_CASE("toggle follows the known state, and pausing idle needs no call", "[command_plan]") {
    CommandSet c;
    c.command = Transport::Toggle;
    AccountKnowledge k = playing_on(kSpeaker);
    CHECK(paths(as_plan(plan_commands(c, k))) == std::vector<std::string>{"PUT /me/player/pause"});
    k.state->state = PlayerState::Paused;
    CHECK(paths(as_plan(plan_commands(c, k))) == std::vector<std::string>{"PUT /me/player/play"});

    c.command = Transport::Pause;
    AccountKnowledge nothing = idle({kSpeaker}, false);
    CHECK(std::get<Refresh>(plan_commands(c, nothing)) == Refresh::State);
    nothing.fresh_state = true;
    CHECK(as_plan(plan_commands(c, nothing)).calls.empty());
}

TEST_CASE("nothing active: named device, else last used, else the only unrestricted one",
          "[command_plan]") {
    CommandSet c;
    c.command = Transport::Play;
    Device a = device("a", "Desk"), b = device("b", "Sonos", false, true), p = device("p", "Phone");

    CHECK(std::get<Refresh>(plan_commands(c, idle({a, p}, false))) == Refresh::State);
    AccountKnowledge k = idle({a, p}, false);
    k.fresh_state = true;
    CHECK(std::get<Refresh>(plan_commands(c, k)) == Refresh::Devices);

    // Two candidates, no history.
    auto outcome = plan_commands(c, idle({a, p}));
    CHECK(as_reason(outcome) == "NO_ACTIVE_DEVICE");
    CHECK(std::get<CommandError>(outcome).message.find("Desk (Speaker), Phone (Speaker)") !=
          std::string::npos);

    AccountKnowledge last = idle({a, p});
    last.last_device_id = "p";
    CHECK(paths(as_plan(plan_commands(c, last))) ==
          std::vector<std::string>{"PUT /me/player/play?device_id=p"});
    last.last_device_id = "gone";  // no longer listed: fall through
    CHECK(as_reason(plan_commands(c, last)) == "NO_ACTIVE_DEVICE");

    CHECK(paths(as_plan(plan_commands(c, idle({a, b})))) ==
          std::vector<std::string>{"PUT /me/player/play?device_id=a"});
    CHECK(std::get<CommandError>(plan_commands(c, idle({}))).message.find("No Spotify device") !=
          std::string::npos);

    CommandSet named;
    named.play = PlayTarget{};
    named.play->uris = {"spotify:track:x"};
    named.play->device = "phone";
    const CommandPlan plan = as_plan(plan_commands(named, idle({a, p})));
    CHECK(paths(plan) == std::vector<std::string>{"PUT /me/player/play?device_id=p"});
    CHECK(plan.calls[0].body == nlohmann::json{{"uris", {"spotify:track:x"}}});
}

TEST_CASE("other controls need an active device", "[command_plan]") {
    CommandSet c;
    c.volume = 20;
    AccountKnowledge k = idle({device("a", "Desk")});
    auto outcome = plan_commands(c, k);
    CHECK(as_reason(outcome) == "NO_ACTIVE_DEVICE");
    CHECK(std::get<CommandError>(outcome).message.find("Desk") != std::string::npos);
    // With a device named first, the transfer makes it active for the volume.
    c.device = "Desk";
    CHECK(paths(as_plan(plan_commands(c, k))) ==
          std::vector<std::string>{"PUT /me/player", "PUT /me/player/volume?volume_percent=20"});
}

TEST_CASE("restricted devices and missing volume control are refused before any call",
          "[command_plan]") {
    Device sonos = device("s", "Sonos", true, true);
    CommandSet next;
    next.command = Transport::Next;
    CHECK(as_reason(plan_commands(next, playing_on(sonos))) == "DEVICE_NOT_CONTROLLABLE");
    CommandSet to_sonos;
    to_sonos.device = "sonos";
    AccountKnowledge k = playing_on(kSpeaker);
    k.devices->push_back(device("s", "Sonos", false, true));
    CHECK(as_reason(plan_commands(to_sonos, k)) == "DEVICE_NOT_CONTROLLABLE");
    // Moving away from a restricted device is allowed.
    CommandSet away;
    away.device = "Phone";
    CHECK(as_plan(plan_commands(away, playing_on(sonos))).calls.size() == 1);

    CommandSet volume;
    volume.volume = 10;
    CHECK(as_reason(plan_commands(volume, playing_on(device("tv", "TV", true, false, false)))) ==
          "VOLUME_CONTROL_DISALLOW");
}

TEST_CASE("unknown devices and playlists are final only after a refresh", "[command_plan]") {
    CommandSet c;
    c.device = "Garage";
    AccountKnowledge k = playing_on(kSpeaker);
    CHECK(std::get<Refresh>(plan_commands(c, k)) == Refresh::Devices);
    k.fresh_devices = true;
    CHECK(as_reason(plan_commands(c, k)) == "UNKNOWN_DEVICE");

    CommandSet p;
    p.playlist = PlaylistRef{"road trip", std::nullopt};
    k.playlists = std::vector<Playlist>{{"spotify:playlist:1", "Mix", "me", 3},
                                        {"spotify:playlist:2", "Road Trip", "me", 9}};
    const CommandPlan plan = as_plan(plan_commands(p, k));
    CHECK(plan.calls[0].body == nlohmann::json{{"context_uri", "spotify:playlist:2"}});
    p.playlist->name = "Missing";
    CHECK(std::get<Refresh>(plan_commands(p, k)) == Refresh::Playlists);
    k.fresh_playlists = true;
    auto error = std::get<CommandError>(plan_commands(p, k));
    CHECK(error.reason == "UNKNOWN_PLAYLIST");
    CHECK(error.message.find("'Road Trip'") != std::string::npos);
}

TEST_CASE("liked songs need the user id, and like needs a current track", "[command_plan]") {
    CommandSet c;
    c.play = PlayTarget{};
    c.play->liked = true;
    AccountKnowledge k = playing_on(kSpeaker);
    k.user_id.reset();
    CHECK(std::get<Refresh>(plan_commands(c, k)) == Refresh::Profile);
    k.user_id = "alice";
    CHECK(as_plan(plan_commands(c, k)).calls[0].body ==
          nlohmann::json{{"context_uri", "spotify:user:alice:collection"}});

    CommandSet like;
    like.like = false;
    CHECK(paths(as_plan(plan_commands(like, k))) ==
          std::vector<std::string>{"DELETE /me/library?uris=spotify%3Atrack%3At1"});
    CHECK(as_reason(plan_commands(like, idle({kSpeaker}))) == "NOTHING_PLAYING");
    CHECK_FALSE(needs_premium(like));
    CHECK(needs_premium(c));
}

TEST_CASE("the predicted state after certain commands", "[command_plan]") {
    AccountKnowledge k = playing_on(kSpeaker);
    CommandSet c;
    c.volume = 70;
    c.shuffle = true;
    c.repeat = "track";
    c.command = Transport::Pause;
    const CommandPlan plan = as_plan(plan_commands(c, k));
    CHECK(plan.predictable);
    PlaybackState after = predicted_state(*k.state, c, plan, 15000);
    CHECK(after.volume == 70);
    CHECK(after.device->volume == 70);
    CHECK(after.shuffle == true);
    CHECK(after.repeat == "track");
    CHECK(after.state == PlayerState::Paused);
    CHECK(after.position_ms == 6000);  // frozen where it was predicted to be
    CHECK(after.position_updated_at_ms == 15000);

    CommandSet seek;
    seek.position_ms = 999999;
    PlaybackState sought = predicted_state(*k.state, seek, as_plan(plan_commands(seek, k)), 20000);
    CHECK(sought.position_ms == 200000);  // not beyond the end

    CommandSet move;
    move.device = "Phone";
    PlaybackState moved = predicted_state(*k.state, move, as_plan(plan_commands(move, k)), 1);
    CHECK(moved.device->name == "Phone");
    CHECK(moved.device->is_active);
}

TEST_CASE("errors from Spotify keep their reason and say what was done", "[command_plan]") {
    Error no_device{ErrorKind::Http, "Player command failed: No active device found", 404,
                    "NO_ACTIVE_DEVICE", std::nullopt};
    CommandError e = command_error(no_device, "pause", {});
    CHECK(e.reason == "NO_ACTIVE_DEVICE");
    CHECK(e.message.starts_with("Could not pause: Spotify has no active device"));

    Error odd{ErrorKind::Http, "Player command failed: No next track", 403, "NO_NEXT_TRACK",
              std::nullopt};
    e = command_error(odd, "skip to the next track", {"set the volume to 20"});
    CHECK(e.reason == "NO_NEXT_TRACK");
    CHECK(e.message ==
          "Done: set the volume to 20. But could not skip to the next track: Spotify answered "
          "HTTP 403: Player command failed: No next track.");

    Error server{ErrorKind::Http, "Spotify answered HTTP 502", 502, "", std::nullopt};
    CHECK(command_error(server, "pause", {}).reason == "SPOTIFY_ERROR");
    Error limited{ErrorKind::RateLimited, "", 429, "", 12};
    e = command_error(limited, "pause", {});
    CHECK(e.reason == "RATE_LIMITED");
    CHECK(e.message.find("12 s") != std::string::npos);
    Error network{ErrorKind::Network, "Connection refused", 0, "", std::nullopt};
    CHECK(command_error(network, "pause", {}).reason == "API_UNREACHABLE");
    Error dead{ErrorKind::InvalidGrant, "invalid_grant", 400, "", std::nullopt};
    CHECK(command_error(dead, "pause", {}).reason == "REAUTH_REQUIRED");
}

TEST_CASE("a long device name is quoted cut at a character boundary", "[command_plan]") {
    std::string name = std::string(59, 'a') + "\xc3\xa9" + "b";  // é straddles byte 60
    CHECK(endpoint::quoted(name) == "'" + std::string(59, 'a') + "\xe2\x80\xa6'");
    CHECK(endpoint::quoted("Kitchen") == "'Kitchen'");
}

TEST_CASE("boost plans no call, alone or with other keys, and says how long",
          "[command_plan][boost]") {
    CommandSet boost;
    boost.boost_s = 600;
    // Nothing known at all: a boost needs no look at the player first.
    CommandPlan alone = as_plan(plan_commands(boost, AccountKnowledge{}));
    CHECK(alone.calls.empty());
    CHECK(alone.boost_s == 600);
    CHECK(alone.data == nlohmann::json{{"boost_s", 600}});
    CHECK_FALSE(needs_premium(boost));

    boost.volume = 30;
    CommandPlan with_volume =
        as_plan(plan_commands(boost, playing_on(device("k", "Kitchen", true))));
    CHECK(paths(with_volume) ==
          std::vector<std::string>{"PUT /me/player/volume?volume_percent=30"});
    CHECK(with_volume.boost_s == 600);
    CHECK(needs_premium(boost));  // the volume does
}
