// homeassistant.media_player: the announcement for the mqtt_media_player custom component, the
// plain values it reads, the cover it wants as Base64 bytes, and its commands published exactly
// as the component publishes them (its media_player.py: the configured payload on each command
// topic, the volume as round(level, 2), play_media as {"media_type","media_id"}).
#include <httplib.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <thread>

#include "BridgeWorld.h"
#include "common/Base64Decode.h"

using namespace s2m::test;
using test_common::base64_decode;

namespace {

const std::string kAnnouncement = "homeassistant/media_player/spotify2mqtt_alice/config";
const std::string kMedia = "spotify2mqtt/alice/media/";

struct MediaWorld : BridgeWorld {
    MqttProbe ha{broker.url(), MqttProbeOptions{.subscriptions = {"homeassistant/#"}}};
    std::unique_ptr<httplib::Client> web;

    explicit MediaWorld(bool album_per_track = false) {
        Json user = short_playlist_user("alice", 120000);
        if (album_per_track) {
            int n = 0;
            for (Json& track : user["tracks"]) track["album"] = "Album " + std::to_string(++n);
        }
        fake.create_user(user);
        Json config = BridgeWorld::accounts({"alice"});
        config["homeassistant"] = {{"media_player", true}};
        start_bridge(config, /*web=*/true);
        web = std::make_unique<httplib::Client>(bridge->web_url());
    }

    std::optional<std::string> value(const std::string& suffix,
                                     const std::function<bool(const std::string&)>& predicate,
                                     std::chrono::milliseconds timeout = 10s) {
        auto message = probe.wait_for(kMedia + suffix, predicate, timeout);
        if (!message) return std::nullopt;
        return message->payload;
    }

    // The bytes the fake serves for an image URL, fetched the way any client would.
    std::string image_bytes(const std::string& url) {
        std::string base = fake.base_url();
        REQUIRE(url.starts_with(base));
        httplib::Client client(base);
        auto res = client.Get(url.substr(base.size()));
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return res->body;
    }
};

auto equals(const std::string& expected) {
    return [expected](const std::string& payload) { return payload == expected; };
}

}  // namespace

TEST_CASE("mqtt_media_player: announced, fed plain values and the cover, and commanded",
          "[home_assistant][media_player]") {
    MediaWorld world;
    auto announced = world.ha.wait_for_json(kAnnouncement, nullptr, 10s);
    INFO(world.bridge_log());
    REQUIRE(announced);
    CHECK(announced->retained);
    const Json config = announced->json();
    // Ids as the device's entities have them: renameable in HA, and the README's entity id.
    CHECK(config["unique_id"] == "spotify2mqtt_alice");
    CHECK(config["default_entity_id"] == "media_player.spotify_alice");
    CHECK(config["state_state_topic"] == kMedia + "state");
    CHECK(config["state_albumart_topic"] == kMedia + "albumart");
    CHECK(config["availability"]["topic"] == "spotify2mqtt/bridge/state");
    for (const char* key :
         {"command_play_topic", "command_pause_topic", "command_next_topic",
          "command_previous_topic", "command_playpause_topic", "command_volume_topic",
          "command_mute_topic", "command_playmedia_topic"}) {
        CHECK(config.contains(key));
    }

    // The values, as plain text the component reads with int()/float().
    CHECK(world.value("state", equals("playing")));
    CHECK(world.value("title", equals("Short 1")));
    CHECK(world.value("artist", equals("Tester")));
    CHECK(world.value("album", equals("Quick Album")));
    CHECK(world.value("duration", equals("120")));
    CHECK(world.value("mediatype", equals("music")));
    CHECK(world.value("mute", equals("unmute")));
    auto state = world.wait_state("alice", [](const Json& s) { return s["track"].is_object(); });
    REQUIRE(state);
    int volume = (*state)["volume"];
    auto level = world.value("volume", [](const std::string& p) { return !p.empty(); });
    REQUIRE(level);
    CHECK(std::lround(std::stod(*level) * 100) == volume);

    // The cover: the image's own bytes in Base64, retained.
    std::string art_url = (*state)["track"]["album_art"];
    std::string expected_art = world.image_bytes(art_url);
    auto art = world.value("albumart", [](const std::string& p) { return !p.empty(); });
    REQUIRE(art);
    CHECK(base64_decode(*art) == expected_art);
    CHECK(world.probe.last(kMedia + "albumart")->retained);

    // Commands exactly as the component publishes them (each after a clear, so only its own
    // effect counts).
    int64_t since = world.fake.last_seq();
    world.probe.clear();
    world.ha.publish(config["command_pause_topic"], config["command_pause_payload"], 0);
    CHECK(world.value("state", equals("paused")));
    CHECK(world.fake.requests_to("PUT", "/v1/me/player/pause", since).size() == 1);

    world.probe.clear();
    world.ha.publish(config["command_volume_topic"], "0.3", 0);
    CHECK(world.value("volume", equals("0.3")));
    Json volumes = world.fake.requests_to("PUT", "/v1/me/player/volume", since);
    REQUIRE(volumes.size() == 1);
    CHECK(volumes[0]["query"] == "volume_percent=30");

    // Mute as the component sends it: the volume goes to 0 and comes back to 30.
    world.probe.clear();
    world.ha.publish(config["command_mute_topic"], "mute", 0);
    CHECK(world.value("mute", equals("mute")));
    CHECK(world.value("volume", equals("0")));
    world.probe.clear();
    world.ha.publish(config["command_mute_topic"], "unmute", 0);
    CHECK(world.value("mute", equals("unmute")));
    CHECK(world.value("volume", equals("0.3")));

    world.probe.clear();
    world.ha.publish(config["command_playpause_topic"], config["command_playpause_payload"], 0);
    CHECK(world.value("state", equals("playing")));

    world.probe.clear();
    world.ha.publish(config["command_next_topic"], config["command_next_payload"], 0);
    CHECK(world.value("title", equals("Short 2")));
    CHECK(world.fake.requests_to("POST", "/v1/me/player/next", since).size() == 1);

    world.ha.publish(config["command_playmedia_topic"],
                     R"({"media_type":"music","media_id":"spotify:track:shortalice3"})", 0);
    CHECK(world.value("title", equals("Short 3")));
    Json plays = world.fake.requests_to("PUT", "/v1/me/player/play", since);
    REQUIRE_FALSE(plays.empty());
    CHECK(Json::parse(plays.back()["body"].get<std::string>())["uris"] ==
          Json{"spotify:track:shortalice3"});

    // Home Assistant restarted: the announcement comes again.
    world.ha.clear();
    world.ha.publish("homeassistant/status", "online", 1);
    CHECK(world.ha.wait_for(kAnnouncement, nullptr, 8s));

    // Unlinked: the announcement and every value are deleted.
    world.probe.clear();
    world.ha.clear();
    auto res = world.web->Post("/accounts/alice/unlink", httplib::Params{});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(world.ha.wait_for(kAnnouncement, [](const std::string& p) { return p.empty(); }));
    for (const char* suffix : {"state", "title", "albumart"}) {
        CHECK(world.value(
            suffix, [](const std::string& p) { return p.empty(); }, 5s));
    }
    MqttProbe late(world.broker.url(),
                   MqttProbeOptions{.subscriptions = {"spotify2mqtt/+/media/#"}});
    CHECK_FALSE(late.wait_for("spotify2mqtt/+/media/#", nullptr, 1s));
}

TEST_CASE(
    "mqtt_media_player: a cover that cannot be downloaded is cleared, an account to link again is "
    "off",
    "[home_assistant][media_player]") {
    MediaWorld world(true);
    REQUIRE(world.value("albumart", [](const std::string& p) { return !p.empty(); }));
    // Every cover now fails; the next track's cover cannot be fetched.
    world.fake.add_fault(
        {{"method", "GET"}, {"path_prefix", "/image/"}, {"status", 404}, {"count", -1}});
    world.probe.clear();
    world.probe.publish("spotify2mqtt/alice/set/command", "next", 1);
    CHECK(world.value("title", equals("Short 2")));
    CHECK(world.value("albumart", [](const std::string& p) { return p.empty(); }));
    // And the bridge goes on serving.
    world.probe.publish("spotify2mqtt/alice/set/volume_level", "0.25", 1);
    CHECK(world.value("volume", equals("0.25")));

    // An account that must be linked again shows as off, without a cover.
    world.fake.revoke_refresh_tokens("alice");
    world.fake.expire_access_tokens("alice");
    world.probe.clear();
    world.probe.publish("spotify2mqtt/alice/get", "", 1);
    CHECK(world.value("state", equals("off")));
    CHECK(world.value("albumart", [](const std::string& p) { return p.empty(); }));
}
