// The bridge end to end: real binary, real mosquitto, fake Spotify over HTTP.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "BridgeWorld.h"

using namespace s2m::test;

namespace {
const std::vector<std::string> kStateKeys = {
    "state",   "track",   "position_ms", "position_updated_at",
    "volume",  "shuffle", "repeat",      "device",
    "context", "premium", "liked"};
}

TEST_CASE("a linked account's playback appears retained with every documented key", "[bridge]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("alice", 120000));
    world.start_bridge(BridgeWorld::accounts({"alice"}));

    auto state = world.wait_state("alice", [](const Json& s) { return s["state"] == "playing"; });
    INFO(world.bridge_log());
    REQUIRE(state);
    for (const auto& key : kStateKeys) CHECK(state->contains(key));
    CHECK((*state)["track"]["name"] == "Short 1");
    CHECK((*state)["track"]["artists"] == Json::array({"Tester"}));
    CHECK((*state)["track"]["album"] == "Quick Album");
    CHECK((*state)["track"]["type"] == "track");
    CHECK((*state)["context"]["name"] == "Quick ones");
    CHECK((*state)["context"]["type"] == "playlist");
    CHECK((*state)["device"]["name"].is_string());
    CHECK((*state)["premium"] == true);
    CHECK((*state)["position_updated_at"].get<std::string>().ends_with("Z"));

    REQUIRE(world.probe.wait_for_json("spotify2mqtt/alice/availability", [](const Json& a) {
        return a == Json{{"state", "online"}};
    }));
    REQUIRE(world.probe.wait_for_json("spotify2mqtt/bridge/state",
                                      [](const Json& a) { return a["state"] == "online"; }));
    auto devices = world.probe.wait_for_json(
        "spotify2mqtt/alice/devices", [](const Json& d) { return d.is_array() && !d.empty(); });
    REQUIRE(devices);
    for (const auto& key :
         {"id", "name", "type", "is_active", "is_restricted", "supports_volume", "volume"}) {
        CHECK(devices->json()[0].contains(key));
    }
    auto playlists = world.probe.wait_for_json("spotify2mqtt/alice/playlists", [](const Json& p) {
        return p.is_array() && p.size() == 1;
    });
    REQUIRE(playlists);
    CHECK(playlists->json()[0] == Json{{"uri", "spotify:playlist:quickalice"},
                                       {"name", "Quick ones"},
                                       {"owner", "User alice"},
                                       {"tracks", 3}});
    auto info = world.probe.wait_for_json("spotify2mqtt/bridge/info", [](const Json& i) {
        return i["accounts"].size() == 1 && i["accounts"][0]["status"] == "online";
    });
    REQUIRE(info);
    CHECK(info->json()["version"].is_string());
    CHECK(info->payload.find("rt-alice") == std::string::npos);

    // A client that connects later gets all of it from the broker's retained store.
    MqttProbe late(world.broker.url(), MqttProbeOptions{.subscriptions = {"spotify2mqtt/#"}});
    for (const auto& topic : {"spotify2mqtt/alice", "spotify2mqtt/alice/availability",
                              "spotify2mqtt/alice/devices", "spotify2mqtt/alice/playlists",
                              "spotify2mqtt/bridge/state", "spotify2mqtt/bridge/info"}) {
        auto retained = late.wait_for(topic, nullptr, 5s);
        INFO(topic);
        REQUIRE(retained);
        CHECK(retained->retained);
    }
}

TEST_CASE("a natural track change is published, steady playback publishes nothing", "[bridge]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("bob", 6000));
    world.start_bridge(BridgeWorld::accounts({"bob"}));
    auto first = world.wait_state("bob", [](const Json& s) { return s["state"] == "playing"; });
    INFO(world.bridge_log());
    REQUIRE(first);
    std::string first_uri = (*first)["track"]["uri"];
    auto next = world.wait_state(
        "bob", [&](const Json& s) { return s["track"]["uri"] != first_uri; }, 15s);
    REQUIRE(next);
    CHECK((*next)["state"] == "playing");
    CHECK((*next)["position_ms"].get<int64_t>() < 2500);  // caught right after the change

    // Long tracks and 1 s polls: every poll sees only the predicted progress.
    world.fake.set_playback("bob", {{"track_index", 0}, {"progress_ms", 0}, {"is_playing", true}});
    world.bridge->process().terminate_and_wait();
    world.fake.create_user(short_playlist_user("bob", 600000));
    world.start_bridge(Json::object({{"accounts", BridgeWorld::accounts({"bob"})["accounts"]},
                                     {"polling", {{"playing_interval_s", 1}}}}));
    // Once the item's library check has answered (`liked` settles once per item change).
    auto playing = world.wait_state("bob", [](const Json& s) {
        return s["state"] == "playing" && s["track"]["duration_ms"] == 600000 &&
               !s["liked"].is_null();
    });
    REQUIRE(playing);
    int64_t seq_before = world.fake.last_seq();
    world.probe.clear();
    std::this_thread::sleep_for(4s);
    auto polls = world.fake.requests_to("GET", "/v1/me/player", seq_before);
    CHECK(polls.size() >= 2);                                 // it did keep polling…
    CHECK(world.probe.messages("spotify2mqtt/bob").empty());  // …and had nothing new to say

    // A seek from a phone is news.
    world.fake.set_playback("bob", {{"progress_ms", 300000}});
    auto seeked = world.wait_state(
        "bob", [](const Json& s) { return s["position_ms"].get<int64_t>() >= 300000; }, 5s);
    CHECK(seeked);
}

TEST_CASE("nothing playing (204) is idle, a change from a phone shows after /get", "[bridge]") {
    BridgeWorld world;
    Json user = short_playlist_user("carol", 120000);
    user.erase("playback");
    world.fake.create_user(user);
    world.start_bridge(BridgeWorld::accounts({"carol"}));
    auto idle = world.wait_state("carol", [](const Json& s) { return s["state"] == "idle"; });
    INFO(world.bridge_log());
    REQUIRE(idle);
    CHECK((*idle)["track"].is_null());
    CHECK((*idle)["device"].is_null());
    CHECK((*idle)["premium"] == true);

    world.fake.set_playback("carol", {{"context_uri", "spotify:playlist:quickcarol"},
                                      {"device_id", "fake-device-speaker"},
                                      {"is_playing", true}});
    world.probe.publish("spotify2mqtt/carol/get", "");
    auto playing = world.wait_state(
        "carol", [](const Json& s) { return s["state"] == "playing"; }, 10s);
    CHECK(playing);
}

TEST_CASE("SIGKILL leaves offline via the will - SIGTERM exits 0 after publishing offline",
          "[bridge]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("dave", 120000));
    world.start_bridge(BridgeWorld::accounts({"dave"}));
    auto online = [](const Json& s) { return s["state"] == "online"; };
    auto offline = [](const Json& s) { return s["state"] == "offline"; };
    REQUIRE(world.probe.wait_for_json("spotify2mqtt/bridge/state", online, 10s));

    world.probe.clear();
    world.bridge->process().kill_hard();
    auto will = world.probe.wait_for_json("spotify2mqtt/bridge/state", offline, 10s);
    REQUIRE(will);
    CHECK(will->retained);

    world.probe.clear();
    world.bridge->start();  // same state dir: resumes from the token store
    REQUIRE(world.probe.wait_for_json("spotify2mqtt/bridge/state", online, 10s));
    REQUIRE(world.wait_state("dave", [](const Json& s) { return s["state"] == "playing"; }));
    world.probe.clear();
    CHECK(world.bridge->process().terminate_and_wait(10s) == 0);
    auto said = world.probe.wait_for_json("spotify2mqtt/bridge/state", offline, 5s);
    REQUIRE(said);
    CHECK(said->retained);
}

TEST_CASE("tokens are stored 0600, rotated refresh tokens are kept, the store wins over the seed",
          "[bridge]") {
    BridgeWorld world;
    Json user = short_playlist_user("erin", 120000);
    user["rotate_refresh_tokens"] = true;
    world.fake.create_user(user);
    auto& bridge = world.start_bridge(BridgeWorld::accounts({"erin"}));
    REQUIRE(world.wait_state("erin", [](const Json& s) { return s["state"] == "playing"; }));
    auto file = bridge.state_dir() / "accounts" / "erin.json";
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat(bridge.state_dir().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    Json stored = Json::parse(std::ifstream(file));
    std::string newest = world.fake.refresh_token("erin");
    CHECK(newest != "rt-erin");                // the fake rotated it…
    CHECK(stored["refresh_token"] == newest);  // …and the bridge kept the newest

    // Restart: the config still seeds rt-erin (now dead), but the stored token wins.
    bridge.process().terminate_and_wait();
    world.fake.expire_access_tokens("erin");
    world.probe.clear();
    bridge.start();
    auto again = world.wait_state("erin", [](const Json& s) { return s["state"] == "playing"; });
    INFO(bridge.log());
    REQUIRE(again);
    CHECK(world.probe.wait_for_json("spotify2mqtt/erin/availability",
                                    [](const Json& a) { return a["state"] == "online"; }));
    CHECK(bridge.log().find(newest) == std::string::npos);  // tokens never in the log
    CHECK(bridge.log().find("fake-client-secret") == std::string::npos);
}

TEST_CASE("invalid_grant asks only that account to be re-linked", "[bridge]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("frank", 120000));
    world.fake.create_user(short_playlist_user("gina", 120000));
    world.fake.revoke_refresh_tokens("frank");
    world.start_bridge(BridgeWorld::accounts({"frank", "gina"}));
    auto reauth = world.probe.wait_for_json(
        "spotify2mqtt/frank/availability",
        [](const Json& a) { return a["state"] == "offline" && a["reason"] == "reauth_required"; },
        10s);
    INFO(world.bridge_log());
    REQUIRE(reauth);
    auto event = world.probe.wait_for_json("spotify2mqtt/bridge/event", [](const Json& e) {
        return e["type"] == "reauth_required" && e["account"] == "frank";
    });
    CHECK(event);
    CHECK(world.wait_state("gina", [](const Json& s) { return s["state"] == "playing"; }));
}
