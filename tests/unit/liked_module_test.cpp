// Liked in-process (app/modules/LikedModule, docs/mqtt.md#account-state): which item changes
// check the library, what a `like` command shows without a read, on a manual clock with scripted
// answers (support/BridgeHarness.h). The pure rule itself: core/Liked.h.
#include <catch2/catch.hpp>

#include <algorithm>

#include "ConfigTestSupport.h"
#include "TestSupport.h"
#include "config/ConfigLoader.h"
#include "core/Liked.h"
#include "spotify/SpotifyJson.h"
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

const std::string kFirstTrack = "spotify:track:69kOkLUCkxIZYexIgSG8rq";  // player_track.json
const std::string kContains = "/v1/me/library/contains";

// Spotify playing the fixture's track, which is in the library when `liked`.
void start_playing(BridgeHarness& harness, bool liked, bool premium = true) {
    harness.config.features.liked = true;
    s2m::test::start_playing(harness, kContains, liked ? "[true]" : "[false]", premium);
}

size_t checks(const BridgeHarness& harness) {
    return harness.http.count("GET", kContains);
}

Json liked_shown(const BridgeHarness& harness) {
    return harness.last_json(harness.topic("alice"))["liked"];
}

PlaybackState with_item(PlayerState state, std::optional<std::string> uri) {
    PlaybackState s;
    s.state = state;
    if (uri) {
        s.track = Track{};
        s.track->uri = *uri;
    }
    return s;
}

}  // namespace

TEST_CASE("the library is checked once per item, playing or paused, never while idle", "[liked]") {
    const std::optional<std::string> none;
    CHECK(liked_read_due(with_item(PlayerState::Playing, "spotify:track:a"), none));
    CHECK(liked_read_due(with_item(PlayerState::Paused, "spotify:track:a"), none));
    CHECK_FALSE(liked_read_due(with_item(PlayerState::Playing, "spotify:track:a"),
                               std::string("spotify:track:a")));
    CHECK(liked_read_due(with_item(PlayerState::Playing, "spotify:track:b"),
                         std::string("spotify:track:a")));
    CHECK_FALSE(liked_read_due(with_item(PlayerState::Idle, "spotify:track:a"), none));
    CHECK_FALSE(liked_read_due(with_item(PlayerState::Playing, std::nullopt), none));
    CHECK_FALSE(liked_read_due(with_item(PlayerState::Playing, ""), none));

    // The value follows the mark only while it is about the current item.
    const LikedMark mark{"spotify:track:a", true};
    CHECK(liked_value(with_item(PlayerState::Paused, "spotify:track:a"), mark) == true);
    CHECK(liked_value(with_item(PlayerState::Playing, "spotify:track:b"), mark) == std::nullopt);
    CHECK(liked_value(with_item(PlayerState::Idle, "spotify:track:a"), mark) == std::nullopt);
    CHECK(liked_value(with_item(PlayerState::Playing, "spotify:track:a"), std::nullopt) ==
          std::nullopt);
}

TEST_CASE("check-library-contains answers are read strictly", "[liked]") {
    CHECK(parse_library_contains("[true]").value() == true);
    CHECK(parse_library_contains("[false]").value() == false);
    for (const char* bad : {"[]", "[true,false]", "[1]", "{\"0\":true}", "true", "not json"}) {
        INFO(bad);
        auto parsed = parse_library_contains(bad);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().kind == ErrorKind::BadResponse);
    }
}

TEST_CASE("liked is checked when the item changes, not on ordinary polls", "[liked]") {
    BridgeHarness harness;
    start_playing(harness, true);
    REQUIRE(checks(harness) == 1);
    std::vector<std::string> calls = harness.http.requests();
    CHECK(std::count(calls.begin(), calls.end(),
                     "GET /v1/me/library/contains?uris=spotify%3Atrack%3A69kOkLUCkxIZYexIgSG8rq") ==
          1);
    CHECK(liked_shown(harness) == true);

    const size_t player_reads = harness.http.count("GET", "/v1/me/player");
    harness.advance(60 * 1000);  // polls of the same item
    CHECK(harness.http.count("GET", "/v1/me/player") >= player_reads + 5);
    CHECK(checks(harness) == 1);

    // Another item, skipped to while paused: unknown at once, then checked once.
    harness.http.answer("GET", kContains, json_response(200, "[false]"));
    spotify_moves_to(harness, kSecondTrack, false);
    harness.advance(30 * 1000);
    CHECK(checks(harness) == 2);
    CHECK(liked_shown(harness) == false);
    // Resuming the same item checks nothing.
    spotify_moves_to(harness, kSecondTrack, true);
    harness.advance(30 * 1000);
    CHECK(checks(harness) == 2);

    // Idle: null without a call.
    harness.http.answer("GET", "/v1/me/player", json_response(204, ""));
    harness.advance(60 * 1000);
    CHECK(liked_shown(harness).is_null());
    CHECK(checks(harness) == 2);
    CHECK(harness.http.unscripted().empty());
}

TEST_CASE("a like command shows liked at once, without a check", "[liked]") {
    BridgeHarness harness;
    start_playing(harness, false, /*premium=*/false);  // the library works on Spotify Free
    REQUIRE(liked_shown(harness) == false);
    harness.http.answer("PUT", "/v1/me/library", json_response(200, ""));
    harness.http.answer("DELETE", "/v1/me/library", json_response(200, ""));
    harness.http.forget();

    harness.mqtt.deliver(harness.topic("alice/set/like"), "ON");
    harness.settle();
    CHECK(harness.last_json(harness.topic("alice/response"))["status"] == "ok");
    CHECK(liked_shown(harness) == true);
    harness.mqtt.deliver(harness.topic("alice/set/like"), "OFF");
    harness.settle();
    CHECK(liked_shown(harness) == false);
    harness.advance(30 * 1000);
    CHECK(checks(harness) == 0);
    CHECK(harness.http.count("PUT", "/v1/me/library") == 1);
    CHECK(harness.http.count("DELETE", "/v1/me/library") == 1);
}

TEST_CASE("a failed check leaves liked unknown and is tried with the next item", "[liked]") {
    BridgeHarness harness;
    harness.config.features.liked = true;
    harness.link("alice");
    harness.spotify_playing();
    harness.http.answer_once("GET", kContains, json_response(200, "not json"));
    harness.http.answer("GET", kContains, json_response(200, "[true]"));
    harness.start();
    CHECK(checks(harness) == 1);
    CHECK(liked_shown(harness).is_null());
    CHECK(harness.last_json(harness.topic("alice/availability"))["state"] == "online");

    spotify_moves_to(harness, kSecondTrack, true);
    harness.advance(10 * 1000);
    CHECK(checks(harness) == 2);
    CHECK(liked_shown(harness) == true);
}

TEST_CASE("with features.liked off the library is never checked and liked stays null", "[liked]") {
    BridgeHarness harness;
    harness.link("alice");
    harness.spotify_playing();
    harness.start();
    spotify_moves_to(harness, kSecondTrack, true);
    harness.advance(30 * 1000);
    CHECK(checks(harness) == 0);
    Json state = harness.last_json(harness.topic("alice"));
    REQUIRE(state.contains("liked"));
    CHECK(state["liked"].is_null());
}

TEST_CASE("features.liked is on by default and can be turned off in the file or environment",
          "[liked][config]") {
    CHECK(parse_config("", {}, "test.json").config.features.liked);
    LoadedConfig off = parse_config(R"({"features":{"liked":false}})", {}, "test.json");
    INFO(s2m::test::all_problems(off));
    REQUIRE(off.ok());
    CHECK_FALSE(off.config.features.liked);
    CHECK(off.config.features.queue);  // each read has its own switch
    LoadedConfig env = parse_config("", {{"SPOTIFY2MQTT__FEATURES__LIKED", "false"}}, "test.json");
    REQUIRE(env.ok());
    CHECK_FALSE(env.config.features.liked);
    LoadedConfig wrong = parse_config(R"({"features":{"liked":"yes"}})", {}, "t");
    CHECK_FALSE(wrong.ok());
    CHECK_THAT(s2m::test::all_problems(wrong), Catch::Contains("features.liked"));
}
