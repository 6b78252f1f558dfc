// Up next in-process (app/modules/UpNextModule, docs/mqtt.md#up-next): which polls and commands
// read Spotify's queue, on a manual clock with scripted answers (support/BridgeHarness.h).
#include <catch2/catch.hpp>

#include "TestSupport.h"
#include "core/Discovery.h"
#include "support/BridgeHarness.h"
#include "support/SideReads.h"

using namespace s2m;
using s2m::test::BridgeHarness;
using s2m::test::fixture_json;
using s2m::test::json_response;
using Json = nlohmann::json;

namespace {

using s2m::test::kSecondTrack;
using s2m::test::spotify_moves_to;

// Spotify playing the fixture's track, with the fixture's queue behind it.
void start_playing(BridgeHarness& harness) {
    harness.config.features.queue = true;
    s2m::test::start_playing(harness, "/v1/me/player/queue",
                             s2m::test::read_fixture("spotify/queue.json"));
}

size_t queue_reads(const BridgeHarness& harness) {
    return harness.http.count("GET", "/v1/me/player/queue");
}

}  // namespace

TEST_CASE("the queue is read when the item changes while playing, never on an ordinary poll",
          "[up_next]") {
    BridgeHarness harness;
    start_playing(harness);
    CHECK(queue_reads(harness) == 1);  // the first item the bridge sees playing
    CHECK(harness.last_json(harness.topic("alice/queue")) == fixture_json("golden/queue.json"));

    const size_t player_reads = harness.http.count("GET", "/v1/me/player");
    harness.advance(60 * 1000);  // polls of the same item playing
    CHECK(harness.http.count("GET", "/v1/me/player") >= player_reads + 5);
    CHECK(queue_reads(harness) == 1);

    // The next track starts: one read, and the list follows it.
    Json after = fixture_json("spotify/queue.json");
    after["currently_playing"] = after["queue"][0];
    after["queue"].erase(0);
    harness.http.answer("GET", "/v1/me/player/queue", json_response(200, after.dump()));
    spotify_moves_to(harness, kSecondTrack, true);
    harness.advance(10 * 1000);
    CHECK(queue_reads(harness) == 2);
    Json shown = harness.last_json(harness.topic("alice/queue"));
    REQUIRE(shown["next"].size() == 1);
    CHECK(shown["next"][0]["type"] == "episode");

    // Skipped while paused: nothing until it plays; then one read.
    spotify_moves_to(harness, "spotify:track:third", false);
    harness.advance(60 * 1000);
    CHECK(queue_reads(harness) == 2);
    spotify_moves_to(harness, "spotify:track:third", true);
    harness.advance(30 * 1000);
    CHECK(queue_reads(harness) == 3);

    // Idle: an empty list, without a call.
    harness.http.answer("GET", "/v1/me/player", json_response(204, ""));
    harness.advance(30 * 1000);
    CHECK(harness.last_json(harness.topic("alice/queue")) == Json::parse(R"({"next":[]})"));
    CHECK(queue_reads(harness) == 3);
    CHECK(harness.http.unscripted().empty());
}

TEST_CASE("queue, play and playlist commands read the queue after they succeed, others do not",
          "[up_next]") {
    BridgeHarness harness;
    start_playing(harness);
    harness.http.answer("POST", "/v1/me/player/queue", json_response(204, ""));
    harness.http.answer("PUT", "/v1/me/player/volume", json_response(204, ""));
    harness.http.answer("PUT", "/v1/me/player/play", json_response(204, ""));
    harness.http.forget();

    harness.mqtt.deliver(harness.topic("alice/set/queue"), "spotify:track:4uLU6hMCjMI75M1A2tKUQC");
    harness.settle();
    std::vector<std::string> calls = harness.http.requests();
    INFO(Json(calls).dump());
    REQUIRE(calls.size() >= 2);
    CHECK(calls[0] == "POST /v1/me/player/queue?uri=spotify%3Atrack%3A4uLU6hMCjMI75M1A2tKUQC");
    CHECK(queue_reads(harness) == 1);
    CHECK(harness.last_json(harness.topic("alice/response"))["status"] == "ok");

    harness.mqtt.deliver(harness.topic("alice/set/volume"), "30");
    harness.advance(5000);
    CHECK(queue_reads(harness) == 1);

    harness.mqtt.deliver(harness.topic("alice/set/play"), "spotify:album:4m2880jivSbbyEGAKfITCa");
    harness.settle();
    CHECK(queue_reads(harness) == 2);

    // A command Spotify refuses changes nothing: no read.
    harness.http.answer("POST", "/v1/me/player/queue",
                        json_response(404, R"({"error":{"status":404,"message":"No active device",
                                               "reason":"NO_ACTIVE_DEVICE"}})"));
    harness.mqtt.deliver(harness.topic("alice/set/queue"), "spotify:track:4uLU6hMCjMI75M1A2tKUQC");
    harness.settle();
    CHECK(harness.last_json(harness.topic("alice/response"))["status"] == "error");
    CHECK(queue_reads(harness) == 2);
}

TEST_CASE("a failed queue read keeps the list and is tried again with the next item", "[up_next]") {
    BridgeHarness harness;
    harness.config.features.queue = true;
    harness.link("alice");
    harness.spotify_playing();
    harness.http.answer_once("GET", "/v1/me/player/queue", json_response(200, "not json"));
    harness.http.answer("GET", "/v1/me/player/queue",
                        json_response(200, s2m::test::read_fixture("spotify/queue.json")));
    harness.start();
    CHECK(queue_reads(harness) == 1);
    CHECK_FALSE(harness.mqtt.last(harness.topic("alice/queue")));
    CHECK(harness.last_json(harness.topic("alice/availability"))["state"] == "online");

    spotify_moves_to(harness, kSecondTrack, true);
    harness.advance(10 * 1000);
    CHECK(queue_reads(harness) == 2);
    CHECK(harness.last_json(harness.topic("alice/queue")) == fixture_json("golden/queue.json"));
}

TEST_CASE("up next is announced to Home Assistant, republished, and cleared on unlink",
          "[up_next]") {
    BridgeHarness harness;
    start_playing(harness);
    const std::string discovery = discovery_topic("homeassistant", "alice");
    Json sensor = harness.last_json(discovery)["cmps"]["spotify2mqtt_alice_up_next"];
    CHECK(sensor["state_topic"] == "spotify2mqtt/alice/queue");
    CHECK(sensor["json_attributes_topic"] == "spotify2mqtt/alice/queue");

    harness.mqtt.forget();
    harness.mqtt.lose("test");
    harness.mqtt.connect();
    harness.settle();
    CHECK(harness.last_json(harness.topic("alice/queue")) == fixture_json("golden/queue.json"));

    REQUIRE(harness.bridge().unlink("alice").ok());
    harness.settle();
    CHECK(harness.mqtt.last(harness.topic("alice/queue")) == std::optional<std::string>(""));
}

TEST_CASE("with features.queue off the queue is never read nor announced", "[up_next]") {
    BridgeHarness harness;
    harness.config.features.queue = false;
    harness.link("alice");
    harness.spotify_playing();
    harness.start();
    harness.advance(60 * 1000);
    CHECK(queue_reads(harness) == 0);
    CHECK_FALSE(harness.mqtt.last(harness.topic("alice/queue")));
    Json components = harness.last_json(discovery_topic("homeassistant", "alice"))["cmps"];
    CHECK_FALSE(components.contains("spotify2mqtt_alice_up_next"));
    CHECK(components.contains("spotify2mqtt_alice_track"));
}

TEST_CASE("a queue read never renews the token: after a 401 it waits for the next poll",
          "[up_next]") {
    BridgeHarness harness;
    harness.config.features.queue = true;
    harness.link("alice");
    harness.spotify_playing();
    harness.http.answer_once("GET", "/v1/me/player/queue",
                             json_response(401, R"({"error":{"status":401,"message":"expired"}})"));
    harness.http.answer("GET", "/v1/me/player/queue",
                        json_response(200, s2m::test::read_fixture("spotify/queue.json")));
    harness.start();
    CHECK(queue_reads(harness) == 1);
    CHECK_FALSE(harness.mqtt.last(harness.topic("alice/queue")));

    harness.advance(10 * 1000);  // the poll (which holds the right to renew) goes first
    CHECK(queue_reads(harness) == 2);
    CHECK(harness.last_json(harness.topic("alice/queue")) == fixture_json("golden/queue.json"));
    CHECK(harness.http.count("POST", "/api/token") == 0);
}

TEST_CASE("a 429 on the queue read holds every call of the app until the window ends",
          "[up_next]") {
    BridgeHarness harness;
    harness.config.features.queue = true;
    harness.link("alice");
    harness.spotify_playing();
    harness.http.answer_once("GET", "/v1/me/player/queue",
                             json_response(429, "", {{"retry-after", "30"}}));
    harness.http.answer("GET", "/v1/me/player/queue",
                        json_response(200, s2m::test::read_fixture("spotify/queue.json")));
    harness.start();
    REQUIRE(queue_reads(harness) == 1);
    const int64_t window_ends = harness.http.sent_at_ms().back() + 30 * 1000;

    harness.http.forget();
    harness.advance(window_ends - 1 - harness.now_ms());
    CHECK(harness.http.requests().empty());  // neither polls nor another queue read
    harness.advance(15 * 1000);
    CHECK(harness.http.count("GET", "/v1/me/player") >= 1);
    CHECK(queue_reads(harness) == 1);  // tried again once the window is over
    CHECK(harness.last_json(harness.topic("alice/queue")) == fixture_json("golden/queue.json"));
}
