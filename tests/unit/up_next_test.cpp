// Up next (docs/mqtt.md#up-next): Spotify's queue answer mapped to the queue topic's payload,
// and the rule for when the bridge reads it (core/UpNext.h).
#include <catch2/catch.hpp>

#include "ConfigTestSupport.h"
#include "HaDiscoveryValidator.h"
#include "HaTemplate.h"
#include "TestSupport.h"
#include "config/ConfigLoader.h"
#include "core/Discovery.h"
#include "core/UpNext.h"
#include "spotify/Endpoints.h"
#include "spotify/SpotifyJson.h"

using namespace s2m;
using s2m::test::fixture_json;
using s2m::test::read_fixture;

namespace {
PlaybackState with_item(PlayerState state, const std::string& uri) {
    PlaybackState s;
    s.state = state;
    s.track = Track{uri, "Song", {"Artist"}, "Album", std::nullopt, 180000};
    return s;
}
}  // namespace

TEST_CASE("the queue answer maps tracks and episodes to the topic's items", "[up_next]") {
    CHECK(endpoint::get_queue() ==
          endpoint::Request{"GET", "/me/player/queue", std::nullopt, "read the queue"});
    auto queue = parse_queue(read_fixture("spotify/queue.json"));
    REQUIRE(queue.ok());
    REQUIRE(queue->current);
    CHECK(queue->current->uri == "spotify:track:69kOkLUCkxIZYexIgSG8rq");
    REQUIRE(queue->next.size() == 2);
    // An episode's show stands in for the album and its publisher for the artists.
    CHECK(queue->next[1].type == "episode");
    CHECK(queue_payload(queue->next) == fixture_json("golden/queue.json"));
}

TEST_CASE("nothing playing and odd entries still read as a queue", "[up_next]") {
    auto idle = parse_queue(R"({"currently_playing":null,"queue":[]})");
    REQUIRE(idle.ok());
    CHECK_FALSE(idle->current);
    CHECK(queue_payload(idle->next) == nlohmann::json::parse(R"({"next":[]})"));
    // A null entry (an item Spotify no longer has) is left out; missing fields become empty.
    auto sparse = parse_queue(
        R"({"currently_playing":null,"queue":[null,{"uri":"spotify:track:a","type":"track"}]})");
    REQUIRE(sparse.ok());
    REQUIRE(sparse->next.size() == 1);
    CHECK(queue_payload(sparse->next)["next"][0] ==
          nlohmann::json::parse(R"({"uri":"spotify:track:a","name":"","artists":[],"album":"",
                                    "duration_ms":null,"type":"track"})"));
}

TEST_CASE("a queue answer that is not the reference's shape is a BadResponse", "[up_next]") {
    for (const char* body :
         {"", "[]", "{}", R"({"queue":{}})", R"({"queue":[1]})",
          R"({"queue":[],"currently_playing":"x"})", R"({"queue":[{"name":5}]})"}) {
        INFO(body);
        auto queue = parse_queue(body);
        REQUIRE_FALSE(queue.ok());
        CHECK(queue.error().kind == ErrorKind::BadResponse);
    }
}

TEST_CASE("the topic lists at most ten items, in Spotify's order", "[up_next]") {
    std::vector<Track> many;
    for (int i = 0; i < 20; ++i)
        many.push_back(Track{"spotify:track:t" + std::to_string(i), "T", {}, "", std::nullopt, 1});
    auto payload = queue_payload(many);
    REQUIRE(payload["next"].size() == kUpNextItems);
    CHECK(payload["next"][0]["uri"] == "spotify:track:t0");
    CHECK(payload["next"][9]["uri"] == "spotify:track:t9");
}

TEST_CASE("the queue is read when the item changes while playing, and only then", "[up_next]") {
    const std::string a = "spotify:track:a";
    const std::string b = "spotify:track:b";
    // A new item while playing: read (also the first one the bridge sees).
    CHECK(queue_read_due(with_item(PlayerState::Playing, a), std::nullopt));
    CHECK(queue_read_due(with_item(PlayerState::Playing, b), a));
    // The same item (a resume, a seek, a volume change): nothing to read.
    CHECK_FALSE(queue_read_due(with_item(PlayerState::Playing, a), a));
    // Paused, even on another item (a skip while paused): wait until it plays.
    CHECK_FALSE(queue_read_due(with_item(PlayerState::Paused, b), a));
    CHECK_FALSE(queue_read_due(PlaybackState{}, a));  // idle
    PlaybackState ad = with_item(PlayerState::Playing, a);
    ad.track.reset();  // an ad: Spotify shows no item
    CHECK_FALSE(queue_read_due(ad, std::nullopt));
}

TEST_CASE("features.queue is on by default and can be turned off in the file or environment",
          "[up_next][config]") {
    CHECK(parse_config("", {}, "test.json").config.features.queue);
    LoadedConfig off = parse_config(R"({"features":{"queue":false}})", {}, "test.json");
    INFO(s2m::test::all_problems(off));
    REQUIRE(off.ok());
    CHECK_FALSE(off.config.features.queue);
    LoadedConfig env = parse_config("", {{"SPOTIFY2MQTT__FEATURES__QUEUE", "false"}}, "test.json");
    REQUIRE(env.ok());
    CHECK_FALSE(env.config.features.queue);
    LoadedConfig wrong = parse_config(R"({"features":{"queue":"no","queues":true}})", {}, "t");
    CHECK_FALSE(wrong.ok());
    std::string problems = s2m::test::all_problems(wrong);
    CHECK_THAT(problems, Catch::Contains("features.queue"));
    CHECK_THAT(problems, Catch::Contains("did you mean `queue`"));
}

TEST_CASE("Home Assistant's Up next sensor shows the first item, for Premium accounts only",
          "[up_next][discovery]") {
    DiscoveryInput in;
    in.prefix = "homeassistant";
    in.base_topic = "spotify2mqtt";
    in.account = "alice";
    in.premium = true;
    in.version = "1.2.3";
    nlohmann::json payload = discovery_payload(in);
    INFO(payload.dump(2));
    CHECK(s2m::test::validate_device_discovery(discovery_topic(in.prefix, in.account), payload)
              .empty());
    const nlohmann::json& sensor = payload["cmps"]["spotify2mqtt_alice_up_next"];
    CHECK(sensor["p"] == "sensor");
    CHECK(sensor["name"] == "Up next");
    CHECK(sensor["default_entity_id"] == "sensor.spotify_alice_up_next");
    CHECK(sensor["state_topic"] == "spotify2mqtt/alice/queue");
    CHECK(sensor["json_attributes_topic"] == "spotify2mqtt/alice/queue");
    const std::string value_template = sensor["value_template"];
    CHECK(s2m::test::render_ha_template(value_template, read_fixture("golden/queue.json")) ==
          "Time to Pretend");
    CHECK(s2m::test::render_ha_template(value_template, R"({"next":[]})") == "None");  // unknown

    in.up_next = false;  // features.queue off
    CHECK_FALSE(discovery_payload(in)["cmps"].contains("spotify2mqtt_alice_up_next"));
    in.up_next = true;
    in.premium = false;
    CHECK_FALSE(discovery_payload(in)["cmps"].contains("spotify2mqtt_alice_up_next"));
}
