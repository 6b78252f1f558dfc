// Recent and top in-process (app/modules/RecentModule, TopModule; docs/mqtt.md#recent, #top):
// which states, /get requests and days read the listening data, what an account without the
// scopes reads (nothing), and what a 403 or a malformed answer does, on a manual clock with
// scripted answers (support/BridgeHarness.h). The pure rules: listening_test.cpp.
#include <catch2/catch.hpp>

#include "TestSupport.h"
#include "core/Authorization.h"
#include "core/Discovery.h"
#include "support/BridgeHarness.h"
#include "support/SideReads.h"

using namespace s2m;
using s2m::test::BridgeHarness;
using s2m::test::json_response;
using s2m::test::read_fixture;
using s2m::test::spotify_moves_to;
using Json = nlohmann::json;

namespace {

const std::string kRecent = "/v1/me/player/recently-played";
const std::string kTopTracks = "/v1/me/top/tracks";
const std::string kTopArtists = "/v1/me/top/artists";
constexpr int64_t kModuleMinute = 60 * 1000;
// These tests span days: a token that lasts them keeps renewals out of the call lists.
constexpr int64_t kTokenValidMs = 3 * 24 * 3600 * 1000LL;

// Every scope the bridge asks for today (a link made after 2026-12).
std::string all_scopes() {
    std::string scopes;
    for (const ScopeNeed& need : requested_scopes())
        scopes += (scopes.empty() ? "" : " ") + std::string(need.scope);
    return scopes;
}

void answer_listening(BridgeHarness& harness) {
    harness.http.answer("GET", kRecent,
                        json_response(200, read_fixture("spotify/recently_played.json")));
    harness.http.answer("GET", kTopTracks,
                        json_response(200, read_fixture("spotify/top_tracks.json")));
    harness.http.answer("GET", kTopArtists,
                        json_response(200, read_fixture("spotify/top_artists.json")));
}

// Alice, linked with every scope (or `scope`), playing the fixture's track, recent and top on.
void start_playing(BridgeHarness& harness, const std::string& scope = all_scopes()) {
    harness.config.features.recent = true;
    harness.config.features.top = true;
    harness.link("alice", kTokenValidMs).scope = scope;
    harness.spotify_playing();
    answer_listening(harness);
    harness.start();
    // The listening reads wait for the app's bucket to fill again after the start-up polls.
    harness.advance(5 * 1000);
}

size_t reads(const BridgeHarness& harness, const std::string& path) {
    return harness.http.count("GET", path);
}

}  // namespace

TEST_CASE("recently played is read when something new could be there, and on get", "[recent]") {
    BridgeHarness harness;
    start_playing(harness);
    CHECK(reads(harness, kRecent) == 1);  // playing, never read
    std::vector<std::string> calls = harness.http.requests();
    CHECK(std::count(calls.begin(), calls.end(), "GET " + kRecent + "?limit=20") == 1);
    Json shown = harness.last_json(harness.topic("alice/recent"));
    REQUIRE(shown.size() == 2);
    CHECK(shown[0]["played_at"] == "2025-12-06T08:00:00.000Z");
    CHECK(shown[0]["item"]["name"] == "Time to Pretend");

    // The same item for half an hour: nothing new, no read.
    harness.advance(30 * kModuleMinute);
    CHECK(reads(harness, kRecent) == 1);

    // The next item: read once (the last read is older than 10 minutes).
    spotify_moves_to(harness, s2m::test::kSecondTrack, true);
    harness.advance(20 * 1000);
    CHECK(reads(harness, kRecent) == 2);
    // Another item 2 minutes later waits for the 10 minutes since that read, then reads once.
    harness.advance(2 * kModuleMinute);
    spotify_moves_to(harness, "spotify:track:third", true);
    harness.advance(5 * kModuleMinute);
    CHECK(reads(harness, kRecent) == 2);
    harness.advance(6 * kModuleMinute);
    CHECK(reads(harness, kRecent) == 3);
    harness.advance(30 * kModuleMinute);
    CHECK(reads(harness, kRecent) == 3);

    // /get reads it after its poll, whatever the schedule says (in the background: once the
    // app's bucket has refilled after the poll's calls).
    const size_t player_reads = reads(harness, "/v1/me/player");
    harness.mqtt.deliver(harness.topic("alice/get"), "");
    harness.settle();
    CHECK(reads(harness, "/v1/me/player") == player_reads + 1);
    CHECK(reads(harness, kRecent) == 3);
    harness.advance(5 * 1000);
    CHECK(reads(harness, kRecent) == 4);
    CHECK(harness.http.unscripted().empty());
}

TEST_CASE("top items are read when the account comes online, then once a day", "[top]") {
    BridgeHarness harness;
    start_playing(harness);
    CHECK(reads(harness, kTopTracks) == 1);
    CHECK(reads(harness, kTopArtists) == 1);
    std::vector<std::string> calls = harness.http.requests();
    CHECK(std::count(calls.begin(), calls.end(),
                     "GET " + kTopTracks + "?time_range=short_term&limit=10") == 1);
    CHECK(std::count(calls.begin(), calls.end(),
                     "GET " + kTopArtists + "?time_range=short_term&limit=10") == 1);
    Json top = harness.last_json(harness.topic("alice/top"));
    CHECK(top["time_range"] == "short_term");
    CHECK(top["tracks"].size() == 2);
    CHECK(top["artists"][1] == Json::parse(R"({"uri":"spotify:artist:0SwO7SWeDHJijQ3XNS7xEE",
                                              "name":"MGMT"})"));
    harness.mqtt.deliver(harness.topic("alice/get"), "");  // /get is for the recent topic only
    harness.advance(23 * 60 * kModuleMinute);
    CHECK(reads(harness, kTopTracks) == 1);
    harness.advance(61 * kModuleMinute);
    CHECK(reads(harness, kTopTracks) == 2);
    CHECK(reads(harness, kTopArtists) == 2);

    // Unlinking clears both topics.
    REQUIRE(harness.bridge().unlink("alice").ok());
    harness.settle();
    CHECK(harness.mqtt.last(harness.topic("alice/top")) == std::optional<std::string>(""));
    CHECK(harness.mqtt.last(harness.topic("alice/recent")) == std::optional<std::string>(""));
}

TEST_CASE("an account linked without the listening scopes never reads them and keeps the rest",
          "[recent][top]") {
    BridgeHarness harness;
    harness.config.features.queue = true;
    harness.http.answer("GET", "/v1/me/player/queue",
                        json_response(200, read_fixture("spotify/queue.json")));
    start_playing(harness, "");  // a record from before 2026-12: the old scopes
    harness.advance(15 * kModuleMinute);
    harness.mqtt.deliver(harness.topic("alice/get"), "");
    harness.advance(30 * 1000);
    spotify_moves_to(harness, s2m::test::kSecondTrack, true);
    harness.advance(15 * kModuleMinute);
    CHECK(reads(harness, kRecent) == 0);
    CHECK(reads(harness, kTopTracks) == 0);
    CHECK(reads(harness, kTopArtists) == 0);
    CHECK_FALSE(harness.mqtt.last(harness.topic("alice/recent")));
    CHECK(reads(harness, "/v1/me/player/queue") == 2);  // the rest keeps working
    CHECK(harness.last_json(harness.topic("alice"))["track"]["uri"] == s2m::test::kSecondTrack);
    CHECK(harness.last_json(harness.topic("alice/availability"))["state"] == "online");
}

TEST_CASE("a 403 stops the reads until the account links again, a bad answer waits its turn",
          "[recent][top]") {
    BridgeHarness harness;
    harness.config.features.recent = true;
    harness.config.features.top = true;
    harness.link("alice", kTokenValidMs).scope = all_scopes();
    harness.spotify_playing();
    const std::string forbidden =
        R"({"error":{"status":403,"message":"Insufficient client scope"}})";
    harness.http.answer("GET", kRecent, json_response(403, forbidden));
    harness.http.answer("GET", kTopTracks, json_response(200, "not json"));
    harness.start();
    harness.advance(5 * 1000);
    CHECK(reads(harness, kRecent) == 1);
    CHECK(reads(harness, kTopTracks) == 1);
    CHECK(reads(harness, kTopArtists) == 0);  // the tracks' answer failed first
    CHECK_FALSE(harness.mqtt.last(harness.topic("alice/recent")));
    CHECK_FALSE(harness.mqtt.last(harness.topic("alice/top")));
    CHECK(harness.last_json(harness.topic("alice/availability"))["state"] == "online");

    // No storm: items change, /get asks; the refused topic is not read again, the malformed one
    // an hour later (and again an hour after that).
    for (int i = 0; i < 5; ++i) {
        spotify_moves_to(harness, "spotify:track:n" + std::to_string(i), true);
        harness.advance(15 * kModuleMinute);
    }
    harness.mqtt.deliver(harness.topic("alice/get"), "");
    harness.settle();
    CHECK(reads(harness, kRecent) == 1);
    CHECK(reads(harness, kTopTracks) == 2);
}

TEST_CASE("Last played is announced from the recent topic, and removed with features.recent off",
          "[recent][discovery]") {
    BridgeHarness harness;
    start_playing(harness);
    const std::string discovery = discovery_topic("homeassistant", "alice");
    Json sensor = harness.last_json(discovery)["cmps"]["spotify2mqtt_alice_last_played"];
    CHECK(sensor["p"] == "sensor");
    CHECK(sensor["state_topic"] == "spotify2mqtt/alice/recent");
    CHECK(sensor["json_attributes_topic"] == "spotify2mqtt/alice/recent");

    BridgeHarness off;
    off.link("alice");
    off.spotify_playing();
    off.start();
    Json removed = off.last_json(discovery)["cmps"]["spotify2mqtt_alice_last_played"];
    CHECK(removed == Json::parse(R"({"p":"sensor"})"));
    CHECK(reads(off, kRecent) == 0);
}
