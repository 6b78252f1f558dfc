// Playlist changes through the real binary (docs/mqtt-commands.md#playlist-changes):
// add_to_playlist, remove_from_playlist and create_playlist in both forms, with exactly the
// Spotify calls of the 2026 playlist endpoints in the fake's log; a duplicate add says the item
// was already there; someone else's playlist and an unknown name are refused with no write; a new
// playlist's URI comes back and the playlists topic shows it.
#include "CommandWorld.h"

using namespace s2m::test;

namespace {

const std::string kFirst = "spotify:track:fakeTrack01";  // what plays: Morning Mix's first item
const std::string kCar = "spotify:playlist:plaliceCar";
const std::string kParty = "spotify:playlist:plbobParty";

Json playlists_alice() {
    auto t = [](int n) { return "spotify:track:fakeTrack0" + std::to_string(n); };
    return {{"id", "alice"},
            {"refresh_token", "rt-alice"},
            {"playlists",
             {{{"id", "plaliceMorning"}, {"name", "Morning Mix"}, {"tracks", {t(1), t(3)}}},
              {{"id", "plaliceCar"}, {"name", "Car"}},
              {{"id", "plbobParty"},
               {"name", "Party"},
               {"owner", "Bob"},
               {"owner_id", "bob"},
               {"collaborative", true},
               {"tracks", {t(2)}}},
              {{"id", "plbobHits"},
               {"name", "Hits"},
               {"owner", "Bob"},
               {"owner_id", "bob"},
               {"tracks", {t(4)}}}}},
            {"playback",
             {{"context_uri", "spotify:playlist:plaliceMorning"},
              {"track_index", 0},
              {"device_id", "fake-device-speaker"},
              {"is_playing", true}}}};
}

Json tracks_of(CommandWorld& world, const std::string& uri) {
    Json user = world.fake.user("alice");  // kept: a range-for would not keep it alive
    for (const Json& playlist : user["playlists"])
        if (playlist["uri"] == uri) return playlist["tracks"];
    return nullptr;
}

std::vector<std::string> edit_call_lines(const CommandResult& result) {
    std::vector<std::string> lines;
    for (const auto& call : result.calls)
        lines.push_back(call.method + " " + call.path + " " + call.body.dump());
    return lines;
}

Json ok_data(const CommandResult& result) {
    INFO(describe(result));
    REQUIRE(result.response);
    REQUIRE((*result.response)["status"] == "ok");
    CHECK(result.responses == 1);
    return result.response->value("data", Json());
}

void check_refused(const CommandResult& result, const std::string& reason) {
    INFO(describe(result));
    REQUIRE(result.response);
    CHECK((*result.response)["status"] == "error");
    CHECK((*result.response)["reason"] == reason);
    CHECK(result.calls.empty());  // no write at all
}

// The options of Home Assistant's "Add to playlist" select, once the announcement has it with
// `wanted` among them.
Json add_select_options(CommandWorld& world, const std::string& wanted) {
    MqttProbe ha{world.broker.url(), MqttProbeOptions{.subscriptions = {"homeassistant/#"}}};
    auto found = ha.wait_for_json(
        "homeassistant/device/spotify2mqtt_alice/config",
        [&](const Json& p) {
            const Json* add = p.contains("cmps") ? &p["cmps"] : nullptr;
            if (!add || !add->contains("spotify2mqtt_alice_add_to_playlist")) return false;
            for (const Json& option : (*add)["spotify2mqtt_alice_add_to_playlist"]["options"])
                if (option == wanted) return true;
            return false;
        },
        10s);
    return found ? found->json()["cmps"]["spotify2mqtt_alice_add_to_playlist"]["options"] : Json();
}

}  // namespace

TEST_CASE("add and remove the current or a named item, in both forms, duplicates are reported",
          "[commands][playlist_edit]") {
    CommandWorld world(playlists_alice());
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(world.bridge_log());
    // Home Assistant offers the own and the collaborative playlists, not Bob's Hits.
    CHECK(add_select_options(world, "Car") == Json{"Morning Mix", "Car", "Party"});

    // Plain form: the current item into Car, after one read of Car's item URIs.
    int64_t since = world.fake.last_seq();
    CommandResult added = world.send("set/add_to_playlist", "Car");
    CHECK(ok_data(added) == Json{{"playlist", kCar}, {"uri", kFirst}, {"already_there", false}});
    CHECK(edit_call_lines(added) ==
          std::vector<std::string>{"POST /v1/playlists/plaliceCar/items " +
                                   Json{{"uris", {kFirst}}}.dump()});
    CHECK(world.reads_of("/v1/playlists/plaliceCar/items", since) == 1);
    CHECK(tracks_of(world, kCar) == Json{kFirst});

    // Object form with a link and the item named: Spotify adds it again, the response says so.
    CommandResult again = world.set(
        {{"add_to_playlist",
          {{"playlist", "https://open.spotify.com/playlist/plaliceCar"}, {"uri", kFirst}}}});
    CHECK(ok_data(again)["already_there"] == true);
    CHECK(again.calls.size() == 1);
    CHECK(tracks_of(world, kCar) == Json{kFirst, kFirst});

    // A collaborative playlist of someone else can be changed too.
    CHECK(ok_data(world.send("set/add_to_playlist", "party"))["playlist"] == kParty);
    CHECK(tracks_of(world, kParty) == Json{"spotify:track:fakeTrack02", kFirst});

    // Remove, object form: one DELETE with the item, no read of the items first.
    since = world.fake.last_seq();
    CommandResult removed =
        world.set({{"remove_from_playlist", {{"playlist", "Car"}, {"uri", kFirst}}}});
    CHECK(ok_data(removed) == Json{{"playlist", kCar}, {"uri", kFirst}});
    CHECK(edit_call_lines(removed) ==
          std::vector<std::string>{"DELETE /v1/playlists/plaliceCar/items " +
                                   Json{{"items", {{{"uri", kFirst}}}}}.dump()});
    CHECK(world.reads_of("/v1/playlists/plaliceCar/items", since) == 0);
    CHECK(tracks_of(world, kCar) == Json::array());

    // Remove, plain form with a URI: the current item out of Party.
    CHECK(ok_data(world.send("set/remove_from_playlist", kParty))["uri"] == kFirst);
    CHECK(tracks_of(world, kParty) == Json{"spotify:track:fakeTrack02"});
}

TEST_CASE(
    "someone else's playlist is NOT_ALLOWED and an unknown one UNKNOWN_PLAYLIST, with no "
    "write, a created playlist comes back and is listed",
    "[commands][playlist_edit]") {
    CommandWorld world(playlists_alice());
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(world.bridge_log());

    int64_t since = world.fake.last_seq();
    check_refused(world.send("set/add_to_playlist", "Hits"), "NOT_ALLOWED");
    check_refused(world.set({{"remove_from_playlist", "spotify:playlist:plbobHits"}}),
                  "NOT_ALLOWED");
    CHECK(world.reads_of("/v1/playlists/plbobHits/items", since) == 0);
    CHECK(tracks_of(world, "spotify:playlist:plbobHits") == Json{"spotify:track:fakeTrack04"});

    since = world.fake.last_seq();
    check_refused(world.send("set/add_to_playlist", "Gym"), "UNKNOWN_PLAYLIST");
    CHECK(world.reads_of("/v1/me/playlists", since) == 1);  // a fresh list before saying so

    // Created in the object form: private unless asked, the URI in data, the topic follows.
    CommandResult created =
        world.set({{"create_playlist", {{"name", "Road trip"}, {"description", "Summer"}}}});
    std::string uri = ok_data(created).value("uri", "");
    CHECK(uri.starts_with("spotify:playlist:"));
    CHECK(edit_call_lines(created) ==
          std::vector<std::string>{
              "POST /v1/me/playlists " +
              Json{{"name", "Road trip"}, {"public", false}, {"description", "Summer"}}.dump()});
    CHECK(world.probe.wait_for_json("spotify2mqtt/alice/playlists", [&](const Json& list) {
        for (const Json& p : list)
            if (p["uri"] == uri && p["name"] == "Road trip") return true;
        return false;
    }));

    CHECK(add_select_options(world, "Road trip") ==
          Json{"Road trip", "Morning Mix", "Car", "Party"});

    // The plain form, and the new playlist can be filled at once by its name.
    std::string gym = ok_data(world.send("set/create_playlist", "Gym")).value("uri", "");
    CHECK(ok_data(world.send("set/add_to_playlist", "Gym"))["playlist"] == gym);
    CHECK(tracks_of(world, gym) == Json{kFirst});
}
