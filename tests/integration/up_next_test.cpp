// Up next through the real binary (docs/mqtt.md#up-next): the retained queue topic after a track
// change while playing and after a `queue` command, exactly one GET /me/player/queue for each in
// the fake's log, none on the polls in between, and {"next":[]} when idle.
#include "CommandWorld.h"

using namespace s2m::test;

namespace {

const std::string kQueuePath = "/v1/me/player/queue";

std::vector<std::string> uris_of(const Json& queue) {
    std::vector<std::string> uris;
    for (const Json& item : queue["next"]) uris.push_back(item["uri"]);
    return uris;
}

}  // namespace

TEST_CASE(
    "the queue topic follows track changes and queue commands, and ordinary polls read "
    "nothing",
    "[up_next]") {
    // Two-minute tracks: nothing changes unless the test changes it; a poll every second.
    CommandWorld world(short_playlist_user("alice", 120000), "alice",
                       Json{{"polling", {{"playing_interval_s", 1}}}});
    INFO(world.bridge_log());
    const std::string topic = world.topic("queue");
    auto shows = [&](std::vector<std::string> expected) {
        return world.probe.wait_for_json(
            topic, [&](const Json& queue) { return uris_of(queue) == expected; }, 10s);
    };

    // Playing the first of three with repeat context: the other two come next.
    auto first = shows({"spotify:track:shortalice2", "spotify:track:shortalice3"});
    REQUIRE(first);
    CHECK(first->json()["next"][0] == Json{{"uri", "spotify:track:shortalice2"},
                                           {"name", "Short 2"},
                                           {"artists", {"Tester"}},
                                           {"album", "Quick Album"},
                                           {"duration_ms", 120000},
                                           {"type", "track"}});
    CHECK(first->retained);

    // Polls of the same track read no queue.
    int64_t since = world.fake.last_seq();
    REQUIRE(eventually([&] { return world.reads_of("/v1/me/player", since) >= 3; }));
    CHECK(world.reads_of(kQueuePath, since) == 0);

    // The next track from the phone: one read, and the list moves on.
    since = world.fake.last_seq();
    world.fake.set_playback("alice", {{"track_index", 1}});
    REQUIRE(shows({"spotify:track:shortalice3", "spotify:track:shortalice1"}));
    REQUIRE(eventually([&] { return world.reads_of("/v1/me/player", since) >= 4; }));
    CHECK(world.reads_of(kQueuePath, since) == 1);

    // A queued song comes first, right after the command.
    since = world.fake.last_seq();
    CommandResult queued = world.send("set/queue", "spotify:track:shortalice1");
    INFO(describe(queued));
    REQUIRE(queued.response);
    CHECK((*queued.response)["status"] == "ok");
    REQUIRE(queued.calls.size() == 1);
    CHECK(queued.calls[0].path == kQueuePath);
    REQUIRE(shows(
        {"spotify:track:shortalice1", "spotify:track:shortalice3", "spotify:track:shortalice1"}));
    REQUIRE(eventually([&] { return world.reads_of("/v1/me/player", since) >= 3; }));
    CHECK(world.reads_of(kQueuePath, since) == 1);

    // Nothing active: an empty list without a call.
    since = world.fake.last_seq();
    world.fake.set_playback("alice", {{"active", false}});
    auto idle = world.probe.wait_for_json(
        topic, [](const Json& queue) { return queue == Json::parse(R"({"next":[]})"); }, 10s);
    REQUIRE(idle);
    CHECK(idle->retained);
    CHECK(world.reads_of(kQueuePath, since) == 0);
}
