// Recently played and top items through the real binary (docs/mqtt.md#recent, #top): the
// retained topics' payloads, exactly the calls the fake Spotify logs for them (none on ordinary
// polls, one on /get), an account linked without the scopes (no reads, its other topics keep
// working) and a 403 (logged once, never asked again).
#include "CommandWorld.h"

using namespace s2m::test;

namespace {

const std::string kRecentPath = "/v1/me/player/recently-played";
const std::string kTopTracksPath = "/v1/me/top/tracks";
const std::string kTopArtistsPath = "/v1/me/top/artists";

size_t reads_by(const FakeSpotifyClient& fake, const std::string& path, const std::string& user,
                int64_t since) {
    size_t n = 0;
    for (const Json& entry : fake.requests_to("GET", path, since))
        if (entry["user"] == user) ++n;
    return n;
}

size_t count_of(const std::string& text, const std::string& part) {
    size_t n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("recent and top show the listening data, read once each and once more on get",
          "[listening]") {
    Json user = short_playlist_user("alice", 120000);  // two-minute tracks: no change by itself
    user["recently_played"] = {
        {{"uri", "spotify:track:shortalice3"}, {"played_at_ms", 1765004400000}}};
    user["top_tracks"] = {"spotify:track:shortalice2", "spotify:track:shortalice1"};
    CommandWorld world(
        user, "alice",
        Json{{"polling", {{"playing_interval_s", 1}, {"max_requests_per_minute", 1000}}}});
    INFO(world.bridge_log());

    auto recent = world.probe.wait_for_json(
        world.topic("recent"), [](const Json& list) { return !list.empty(); }, 15s);
    REQUIRE(recent);
    CHECK(recent->retained);
    CHECK(recent->json() == Json::parse(R"([{"played_at":"2025-12-06T07:00:00.000Z",
        "item":{"uri":"spotify:track:shortalice3","name":"Short 3","artists":["Tester"],
        "album":"Quick Album","duration_ms":120000,"type":"track"}}])"));
    auto top = world.probe.wait_for_json(world.topic("top"), nullptr, 15s);
    REQUIRE(top);
    CHECK(top->retained);
    const Json& shown = top->json();
    CHECK(shown["time_range"] == "short_term");
    REQUIRE(shown["tracks"].size() == 2);
    CHECK(shown["tracks"][0]["uri"] == "spotify:track:shortalice2");
    REQUIRE(shown["artists"].size() == 1);
    CHECK(shown["artists"][0]["name"] == "Tester");
    CHECK(shown["artists"][0]["uri"].get<std::string>().starts_with("spotify:artist:"));

    // Exactly one call for each, with the reference's parameters.
    Json recent_calls = world.fake.requests_to("GET", kRecentPath, 0);
    REQUIRE(recent_calls.size() == 1);
    CHECK(recent_calls[0]["query"] == "limit=20");
    Json tracks_calls = world.fake.requests_to("GET", kTopTracksPath, 0);
    REQUIRE(tracks_calls.size() == 1);
    CHECK(tracks_calls[0]["query"] == "time_range=short_term&limit=10");
    CHECK(world.fake.requests_to("GET", kTopArtistsPath, 0).size() == 1);

    // Ordinary polls of the same track read neither.
    int64_t since = world.fake.last_seq();
    REQUIRE(eventually([&] { return world.reads_of("/v1/me/player", since) >= 3; }));
    CHECK(world.reads_of(kRecentPath, since) == 0);
    CHECK(world.reads_of(kTopTracksPath, since) == 0);

    // /get reads the history once (and the top items not at all).
    since = world.fake.last_seq();
    world.probe.publish(world.topic("get"), "", 1);
    REQUIRE(eventually([&] { return world.reads_of(kRecentPath, since) >= 1; }));
    int64_t after_get = world.fake.last_seq();
    REQUIRE(eventually([&] { return world.reads_of("/v1/me/player", after_get) >= 3; }));
    CHECK(world.reads_of(kRecentPath, since) == 1);
    CHECK(world.reads_of(kTopTracksPath, since) == 0);
}

TEST_CASE("an account without the listening scopes reads none, and a 403 is not asked again",
          "[listening]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("alice", 120000));
    // Bob linked before 2026-12: his tokens carry the old scopes only.
    Json bob = short_playlist_user("bob", 120000);
    bob["scope"] =
        "user-read-playback-state user-modify-playback-state user-read-currently-playing "
        "playlist-read-private playlist-read-collaborative user-library-read user-library-modify "
        "user-read-private";
    world.fake.create_user(bob);
    // Alice's history answers 403 as Spotify does for a token without the scope.
    world.fake.add_fault(
        {{"method", "GET"},
         {"path_prefix", kRecentPath},
         {"user", "alice"},
         {"status", 403},
         {"body", R"({"error":{"status":403,"message":"Insufficient client scope"}})"},
         {"count", -1}});
    // Quick polls (and room for them in the app's pace), so that "a few polls" come soon.
    Json config = BridgeWorld::accounts({"alice", "bob"});
    config["polling"] = {{"playing_interval_s", 2}, {"max_requests_per_minute", 1000}};
    world.start_bridge(config);
    INFO(world.bridge_log());

    // Bob's other topics work: his state and what plays next.
    REQUIRE(world.wait_state(
        "bob", [](const Json& s) { return s["state"] == "playing"; }, 15s));
    REQUIRE(world.probe.wait_for_json(
        "spotify2mqtt/bob/queue", [](const Json& q) { return !q["next"].empty(); }, 15s));
    // Alice: one refused read, logged once; her top items still come.
    REQUIRE(world.probe.wait_for_json("spotify2mqtt/alice/top", nullptr, 15s));
    REQUIRE(eventually([&] { return reads_by(world.fake, kRecentPath, "alice", 0) == 1; }));
    REQUIRE(eventually([&] {
        return count_of(world.bridge_log(), "Spotify refused to show what was played") == 1;
    }));

    // /get for both, then a few polls: no listening read for Bob, no second one for Alice.
    int64_t since = world.fake.last_seq();
    world.probe.publish("spotify2mqtt/alice/get", "", 1);
    world.probe.publish("spotify2mqtt/bob/get", "", 1);
    REQUIRE(eventually(
        [&] {
            return reads_by(world.fake, "/v1/me/player", "alice", since) >= 3 &&
                   reads_by(world.fake, "/v1/me/player", "bob", since) >= 3;
        },
        20s));
    CHECK(reads_by(world.fake, kRecentPath, "alice", 0) == 1);
    CHECK(count_of(world.bridge_log(), "Spotify refused to show what was played") == 1);
    for (const std::string& path : {kRecentPath, kTopTracksPath, kTopArtistsPath})
        CHECK(reads_by(world.fake, path, "bob", 0) == 0);
    CHECK_FALSE(world.probe.last("spotify2mqtt/bob/recent"));
    CHECK_FALSE(world.probe.last("spotify2mqtt/bob/top"));
}
