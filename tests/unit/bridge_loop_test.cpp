// The bridge's loop logic in-process (tests/unit/support/BridgeHarness.h): polls, commands, rate
// limits and Home Assistant announcements, on a manual clock with scripted Spotify answers. The
// integration tests show the same behaviours end to end; these run in milliseconds and show
// exactly which calls go out when.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/Discovery.h"
#include "support/BridgeHarness.h"

using namespace s2m;
using s2m::test::BridgeHarness;
using s2m::test::header_of;
using s2m::test::json_response;
using Requests = std::vector<std::string>;

namespace {

// A playing account, polled once, with the logs emptied: what follows is the test's.
void start_playing(BridgeHarness& harness) {
    harness.link("alice");
    harness.spotify_playing();
    harness.start();
    REQUIRE(harness.last_json(harness.topic("alice/availability"))["state"] == "online");
    harness.http.forget();
    harness.mqtt.forget();
}

}  // namespace

TEST_CASE("a linked account's first poll publishes its state, devices and availability",
          "[bridge_loop]") {
    BridgeHarness harness;
    harness.link("alice");
    harness.spotify_playing();
    harness.start();

    CHECK(harness.http.requests() == Requests{"GET /v1/me/player?additional_types=episode",
                                              "GET /v1/me/player/devices",
                                              "GET /v1/me/playlists?limit=50"});
    CHECK(harness.http.unscripted().empty());
    CHECK(harness.last_json(harness.topic("alice/availability")) ==
          nlohmann::json{{"state", "online"}});
    nlohmann::json state = harness.last_json(harness.topic("alice"));
    CHECK(state["state"] == "playing");
    CHECK(state["volume"] == 55);
    CHECK(state["device"]["name"] == "Living Room");
    CHECK(harness.last_json(harness.topic("alice/devices")).size() == 2);
    CHECK(harness.last_json(harness.topic("bridge/state"))["state"] == "online");
}

TEST_CASE("set/volume 40 makes exactly the volume call and publishes the answer", "[bridge_loop]") {
    BridgeHarness harness;
    start_playing(harness);
    harness.http.answer("PUT", "/v1/me/player/volume", json_response(204, ""));

    harness.mqtt.deliver(harness.topic("alice/set/volume"), "40");
    harness.settle();

    CHECK(harness.http.requests() == Requests{"PUT /v1/me/player/volume?volume_percent=40"});
    CHECK(header_of(harness.http.seen().at(0), "Authorization") == "Bearer at-1");
    CHECK(harness.last_json(harness.topic("alice/response")) == nlohmann::json{{"status", "ok"}});
    CHECK(harness.last_json(harness.topic("alice"))["volume"] == 40);  // shown before a poll
}

TEST_CASE("a 429 with Retry-After holds every call until the window ends", "[bridge_loop]") {
    BridgeHarness harness;
    start_playing(harness);
    harness.http.answer_once("GET", "/v1/me/player",
                             json_response(429, "", {{"retry-after", "120"}}));

    harness.advance(10 * 1000);  // the next poll of a playing account gets the 429
    REQUIRE(harness.http.requests() == Requests{"GET /v1/me/player?additional_types=episode"});
    const int64_t window_ends = harness.http.sent_at_ms().at(0) + 120 * 1000;
    nlohmann::json availability = harness.last_json(harness.topic("alice/availability"));
    CHECK(availability["state"] == "offline");
    CHECK(availability["reason"] == "rate_limited");

    harness.http.forget();
    harness.mqtt.deliver(harness.topic("alice/set/volume"), "40");
    const int64_t left_s = (window_ends - harness.now_ms() + 999) / 1000;  // rounded up
    harness.advance(window_ends - 1 - harness.now_ms());
    CHECK(harness.http.requests().empty());  // neither polls nor the command
    nlohmann::json refused = harness.last_json(harness.topic("alice/response"));
    CHECK(refused["reason"] == "RATE_LIMITED");
    CHECK(refused["retry_after_s"] == left_s);

    harness.advance(1);
    CHECK(harness.http.requests() == Requests{"GET /v1/me/player?additional_types=episode"});
    CHECK(harness.http.sent_at_ms() == std::vector<int64_t>{window_ends});
    CHECK(harness.last_json(harness.topic("alice/availability"))["state"] == "online");
}

TEST_CASE("a command that waited more than 10 s behind another is refused STALE_COMMAND",
          "[bridge_loop]") {
    BridgeHarness harness;
    start_playing(harness);
    harness.http.answer("PUT", "/v1/me/player/volume", json_response(204, ""));

    harness.jobs.hold(true);  // Spotify is slow to answer the first command
    harness.mqtt.deliver(harness.topic("alice/set"), R"({"volume":40,"transaction":"a"})");
    harness.mqtt.deliver(harness.topic("alice/set"), R"({"volume":50,"transaction":"b"})");
    harness.advance(10 * 1000 + 1);
    harness.jobs.hold(false);
    harness.settle();

    CHECK(harness.http.count("PUT", "/v1/me/player/volume") == 1);
    CHECK(harness.http.requests().at(0) == "PUT /v1/me/player/volume?volume_percent=40");
    auto responses = harness.mqtt.payloads(harness.topic("alice/response"));
    REQUIRE(responses.size() == 2);
    CHECK(nlohmann::json::parse(responses[0]) ==
          nlohmann::json{{"status", "ok"}, {"transaction", "a"}});
    nlohmann::json stale = nlohmann::json::parse(responses[1]);
    CHECK(stale["reason"] == "STALE_COMMAND");
    CHECK(stale["transaction"] == "b");
}

TEST_CASE("a command the broker kept while the bridge was offline is refused STALE_COMMAND",
          "[bridge_loop]") {
    BridgeHarness harness;
    start_playing(harness);
    harness.http.answer("PUT", "/v1/me/player/volume", json_response(204, ""));

    harness.mqtt.lose("broker restarted");
    harness.advance(30 * 1000);
    harness.http.forget();
    harness.mqtt.connect(/*acknowledge=*/false);  // the session's queue arrives before the SUBACK
    harness.mqtt.deliver(harness.topic("alice/set/volume"), "40");
    harness.settle();

    CHECK(harness.http.count("PUT", "/v1/me/player/volume") == 0);
    CHECK(harness.last_json(harness.topic("alice/response"))["reason"] == "STALE_COMMAND");

    harness.mqtt.acknowledge_subscriptions();  // from now on commands are live again
    harness.mqtt.deliver(harness.topic("alice/set/volume"), "45");
    harness.settle();
    CHECK(harness.http.count("PUT", "/v1/me/player/volume") == 1);
    CHECK(harness.last_json(harness.topic("alice/response")) == nlohmann::json{{"status", "ok"}});
}

TEST_CASE("Home Assistant's birth message announces every account again, once, after a pause",
          "[bridge_loop]") {
    BridgeHarness harness;
    harness.link("alice");
    harness.link("bob");
    harness.spotify_playing();
    harness.start();
    const std::string alice = discovery_topic("homeassistant", "alice");
    const std::string bob = discovery_topic("homeassistant", "bob");
    const auto announced = harness.mqtt.last(alice);
    REQUIRE(announced);
    harness.mqtt.forget();

    harness.mqtt.deliver("homeassistant/status", "online");
    harness.settle();
    CHECK(harness.mqtt.payloads(alice).empty());  // spread out: not at once

    harness.advance(3000);  // the longest pause
    CHECK(harness.mqtt.payloads(alice) == std::vector<std::string>{*announced});
    CHECK(harness.mqtt.payloads(bob).size() == 1);
    CHECK(harness.mqtt.payloads(harness.topic("alice/availability")).size() == 1);

    harness.mqtt.forget();
    harness.mqtt.deliver("homeassistant/status", "offline");
    harness.advance(3000);
    CHECK(harness.mqtt.payloads(alice).empty());
}

TEST_CASE("the poll after the access token nears expiry refreshes it first", "[bridge_loop]") {
    BridgeHarness harness;
    harness.link("alice", /*token_valid_ms=*/5 * 60 * 1000);
    harness.spotify_playing();
    harness.http.answer(
        "POST", "/api/token",
        json_response(200, R"({"access_token":"at-2","token_type":"Bearer","expires_in":3600})"));
    harness.start();
    REQUIRE(harness.http.count("POST", "/api/token") == 0);  // 5 minutes left: not yet

    harness.advance(5 * 60 * 1000);
    REQUIRE(harness.http.count("POST", "/api/token") == 1);
    Requests requests = harness.http.requests();
    auto refresh = std::find(requests.begin(), requests.end(), "POST /api/token");
    REQUIRE(refresh + 1 != requests.end());
    CHECK(*(refresh + 1) == "GET /v1/me/player?additional_types=episode");
    size_t after = static_cast<size_t>(refresh - requests.begin()) + 1;
    CHECK(header_of(harness.http.seen().at(after), "Authorization") == "Bearer at-2");
    // Saved at once, with the new expiry, and used from then on.
    const AccountRecord& saved = harness.store.records.at("alice");
    CHECK(saved.access_token == "at-2");
    CHECK(saved.access_expires_at_ms > harness.now_ms() + 55 * 60 * 1000);
    CHECK(header_of(harness.http.seen().back(), "Authorization") == "Bearer at-2");
}

TEST_CASE("a person's mistakes in linking are refused, not internal errors", "[bridge_loop]") {
    BridgeHarness harness;
    Bridge& bridge = harness.start();
    auto bad_name = bridge.begin_link(std::string("Bad Name"));
    REQUIRE_FALSE(bad_name.ok());
    CHECK(bad_name.error().kind == ErrorKind::Refused);
    auto unknown = bridge.unlink("nobody");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().kind == ErrorKind::Refused);
}
