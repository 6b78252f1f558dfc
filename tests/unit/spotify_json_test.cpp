#include <catch2/catch.hpp>

#include "TestSupport.h"
#include "core/StatePayload.h"
#include "spotify/Endpoints.h"
#include "spotify/SpotifyJson.h"

using namespace s2m;
using s2m::test::fixture_json;
using s2m::test::read_fixture;

namespace {
constexpr int64_t kFetchedAt = 1763796600123;  // 2025-11-22T07:30:00.123Z
}

TEST_CASE("a playing track maps to the documented state payload", "[spotify_json]") {
    auto state = parse_player(200, read_fixture("spotify/player_track.json"), kFetchedAt);
    REQUIRE(state.ok());
    CHECK(state_payload(state.value()) == fixture_json("golden/state_player_track.json"));
}

TEST_CASE("an episode maps show and publisher, and a hidden device id is null", "[spotify_json]") {
    auto state = parse_player(200, read_fixture("spotify/player_episode.json"), kFetchedAt);
    REQUIRE(state.ok());
    CHECK(state_payload(state.value()) == fixture_json("golden/state_player_episode.json"));
}

TEST_CASE("204 means nothing is active: idle with every key null", "[spotify_json]") {
    auto state = parse_player(204, "", kFetchedAt);
    REQUIRE(state.ok());
    CHECK(state->state == PlayerState::Idle);
    CHECK(state_payload(state.value()) == fixture_json("golden/state_idle.json"));
}

TEST_CASE("null item, context and progress (an ad) keep every key", "[spotify_json]") {
    auto state = parse_player(200, read_fixture("spotify/player_nulls.json"), kFetchedAt);
    REQUIRE(state.ok());
    auto payload = state_payload(state.value());
    CHECK(payload["state"] == "playing");
    CHECK(payload["track"].is_null());
    CHECK(payload["position_ms"].is_null());
    CHECK(payload["position_updated_at"].is_null());
    CHECK(payload["context"].is_null());
    CHECK(payload["volume"] == 100);
    CHECK(payload["shuffle"] == true);
    CHECK(payload.size() == 11);
}

TEST_CASE("liked songs are a collection context named Liked Songs", "[spotify_json]") {
    auto state = parse_player(200, read_fixture("spotify/player_collection.json"), kFetchedAt);
    REQUIRE(state.ok());
    REQUIRE(state->context);
    CHECK(state->context->type == "collection");
    CHECK(state->context->name == "Liked Songs");
    CHECK(state->track->album_art == std::nullopt);
    CHECK(state->repeat == "track");
}

TEST_CASE("malformed player answers are errors that explain, never exceptions", "[spotify_json]") {
    struct Case {
        std::string body;
        std::string mentions;
    };
    auto huge = std::string(100000, '[');
    for (const Case& c : std::vector<Case>{
             {"not json", "not JSON"},
             {"", ""},  // 200 with an empty body reads as idle (some proxies strip 204)
             {read_fixture("spotify/player_wrong_types.json"), "is_playing: expected a boolean"},
             {R"([1,2,3])", "expected an object"},
             {R"({"item": {"artists": "Daft Punk"}})", "item.artists: expected an array"},
             {R"({"item": {"duration_ms": "long"}})", "item.duration_ms: expected an integer"},
             // Found by fuzz/spotify_json_fuzz: beyond int64, not an integer (nor a bad cast).
             {R"({"item": {"duration_ms": 2e93}})", "item.duration_ms: expected an integer"},
             {R"({"device": {"volume_percent": 12.5}})", "device.volume_percent"},
             {R"({"item": {"album": {"images": [{"url": 7}]}}})", "item.album.images[0].url"},
             {huge, "not JSON"},
         }) {
        auto result = parse_player(200, c.body, kFetchedAt);
        if (c.mentions.empty()) {
            CHECK(result.ok());
            continue;
        }
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == ErrorKind::BadResponse);
        CHECK_THAT(result.error().message, Catch::Contains(c.mentions));
    }
}

TEST_CASE("an integral float is accepted where the reference says integer", "[spotify_json]") {
    auto state = parse_player(200, R"({"is_playing": true, "progress_ms": 1500.0})", kFetchedAt);
    REQUIRE(state.ok());
    CHECK(state->position_ms == 1500);
}

TEST_CASE("devices map with restriction and missing volume", "[spotify_json]") {
    auto devices = parse_devices(read_fixture("spotify/devices.json"));
    REQUIRE(devices.ok());
    REQUIRE(devices->size() == 2);
    CHECK(devices->at(0).volume == 55);
    CHECK(devices->at(1).is_restricted);
    CHECK(devices->at(1).volume == std::nullopt);
    CHECK(devices_payload(devices.value())[1] ==
          nlohmann::json::parse(
              R"({"id":"5fbb3ba6aa454b5534c4ba43a8c7e8e45a63ad0e","name":"Kitchen Sonos",
            "type":"Speaker","is_active":false,"is_restricted":true,"supports_volume":false,"volume":null})"));
    CHECK_FALSE(parse_devices(R"({"devices": {}})").ok());
    CHECK_FALSE(parse_devices(R"({})").ok());
}

TEST_CASE("a playlist page reads items (2026) or tracks (deprecated) counts", "[spotify_json]") {
    auto page = parse_playlist_page(read_fixture("spotify/playlists_page.json"));
    REQUIRE(page.ok());
    REQUIRE(page->items.size() == 2);
    CHECK(page->items[0].tracks == 50);
    CHECK(page->items[0].owner == "Spotify");
    CHECK(page->items[1].tracks == 12);
    CHECK(page->items[1].owner == "alice");  // no display name: the owner's id
    CHECK(page->next == "https://api.spotify.com/v1/me/playlists?offset=2&limit=2");
    CHECK(page->total == 3);
}

TEST_CASE("the profile says whether the account is Premium", "[spotify_json]") {
    auto me = parse_profile(read_fixture("spotify/me.json"));
    REQUIRE(me.ok());
    CHECK(me->id == "alice");
    CHECK(me->premium == true);
    CHECK(parse_profile(R"({"id":"bob","product":"free"})")->premium == false);
    CHECK(parse_profile(R"({"id":"bob"})")->premium == std::nullopt);
    CHECK_FALSE(parse_profile(R"({"display_name":"x"})").ok());
}

TEST_CASE("Spotify error bodies keep status, message and reason", "[spotify_json]") {
    auto error = parse_api_error(404, read_fixture("spotify/error_no_device.json"), std::nullopt);
    CHECK(error.kind == ErrorKind::Http);
    CHECK(error.reason == "NO_ACTIVE_DEVICE");
    CHECK(error.message == "Player command failed: No active device found");
    auto limited = parse_api_error(429, "", 7);
    CHECK(limited.kind == ErrorKind::RateLimited);
    CHECK(limited.retry_after_s == 7);
    CHECK(limited.message == "Spotify answered HTTP 429");
    CHECK(parse_api_error(401, "<html>", std::nullopt).kind == ErrorKind::Unauthorized);
}

TEST_CASE("context URIs name the object to fetch for their name", "[spotify_json]") {
    CHECK(endpoint::context_object_path("spotify:playlist:37i9dQZF1DXcBWIGoYBM5M") ==
          "/playlists/37i9dQZF1DXcBWIGoYBM5M");
    CHECK(endpoint::context_object_path("spotify:album:4m2880jivSbbyEGAKfITCa") ==
          "/albums/4m2880jivSbbyEGAKfITCa");
    CHECK(endpoint::context_object_path("spotify:user:alice:collection") == std::nullopt);
    CHECK(endpoint::context_object_path("spotify:playlist:../../me") == std::nullopt);
    CHECK(endpoint::context_object_path("spotify:playlist:") == std::nullopt);
}
