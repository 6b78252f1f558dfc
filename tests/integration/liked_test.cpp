// Liked through the real binary (docs/mqtt.md#account-state): the state's `liked` after an item
// change, with exactly one GET /me/library/contains for the new item in the fake's log and none
// on the polls in between, and after a `like` command at once, without a read. The account is on
// Spotify Free, whose library API works as Premium's does.
#include "CommandWorld.h"

using namespace s2m::test;

namespace {

const std::string kContains = "/v1/me/library/contains";

}  // namespace

TEST_CASE("liked follows the item and like commands, with one library check per item", "[liked]") {
    // Two-minute tracks: nothing changes unless the test changes it; a poll every second.
    Json user = short_playlist_user("alice", 120000);
    user["product"] = "free";
    user["liked"] = Json{"spotify:track:shortalice2"};
    CommandWorld world(user, "alice", Json{{"polling", {{"playing_interval_s", 1}}}});
    INFO(world.bridge_log());
    auto shows = [&](const std::string& uri, const Json& liked) {
        return world.probe.wait_for_json(
            world.topic(""),
            [&](const Json& state) {
                return state["track"].is_object() && state["track"]["uri"] == uri &&
                       state.contains("liked") && state["liked"] == liked;
            },
            10s);
    };
    auto checked_uris = [&](int64_t since) {
        std::vector<std::string> uris;
        for (const Json& entry : world.fake.requests_to("GET", kContains, since))
            uris.push_back(entry["query"]);
        return uris;
    };

    // The first item, not in the library.
    auto first = shows("spotify:track:shortalice1", false);
    REQUIRE(first);
    CHECK(first->retained);
    CHECK(checked_uris(0) == std::vector<std::string>{"uris=spotify%3Atrack%3Ashortalice1"});

    // Polls of the same item check nothing.
    int64_t since = world.fake.last_seq();
    REQUIRE(eventually([&] { return world.reads_of("/v1/me/player", since) >= 3; }));
    CHECK(world.reads_of(kContains, since) == 0);

    // The next item from the phone, which is liked: one check, for it.
    since = world.fake.last_seq();
    world.fake.set_playback("alice", {{"track_index", 1}});
    REQUIRE(shows("spotify:track:shortalice2", true));
    REQUIRE(eventually([&] { return world.reads_of("/v1/me/player", since) >= 3; }));
    CHECK(checked_uris(since) == std::vector<std::string>{"uris=spotify%3Atrack%3Ashortalice2"});

    // Unlike, then like again from MQTT (Home Assistant's switch sends OFF/ON): the state follows
    // each at once, and Spotify's library with it, without a check.
    since = world.fake.last_seq();
    CommandResult off = world.send("set/like", "OFF");
    INFO(describe(off));
    REQUIRE(off.response);
    CHECK((*off.response)["status"] == "ok");
    REQUIRE(off.calls.size() == 1);
    CHECK(off.calls[0].method == "DELETE");
    CHECK(off.calls[0].path == "/v1/me/library");
    CHECK(off.calls[0].query["uris"] == "spotify:track:shortalice2");
    REQUIRE(shows("spotify:track:shortalice2", false));
    CommandResult on = world.send("set/like", "ON");
    INFO(describe(on));
    REQUIRE(on.response);
    CHECK((*on.response)["status"] == "ok");
    REQUIRE(shows("spotify:track:shortalice2", true));
    REQUIRE(eventually([&] { return world.reads_of("/v1/me/player", since) >= 3; }));
    CHECK(world.reads_of(kContains, since) == 0);

    // Nothing active: null, without a check.
    since = world.fake.last_seq();
    world.fake.set_playback("alice", {{"active", false}});
    REQUIRE(world.probe.wait_for_json(
        world.topic(""),
        [](const Json& state) { return state["state"] == "idle" && state["liked"].is_null(); },
        10s));
    CHECK(world.reads_of(kContains, since) == 0);
}
