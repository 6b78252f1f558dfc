// The track_played rule (docs/mqtt.md#track-played, core/PlayedItems.h): which items count as
// played, from the states the bridge reads, on a fake clock. Reads come every few seconds, as
// polls do, and each test plays a listening the way Spotify would show it.
#include <catch2/catch.hpp>

#include "core/PlayedItems.h"

using namespace s2m;

namespace {

constexpr int64_t kStart = 1'800'000'000'000;  // some Unix ms

Track item(const std::string& id, int64_t duration_ms) {
    return Track{"spotify:track:" + id, "Song " + id, {"Artist"}, "Album",
                 std::nullopt,          duration_ms};
}

// A player that a test drives like a person does, and the bridge's reads of it every `poll_ms`.
struct Listening {
    PlayedItems rule;
    int64_t now = kStart;
    PlayerState state = PlayerState::Idle;
    std::optional<Track> current;
    int64_t position = 0;  // at `now`
    std::string repeat = "off";
    std::vector<TrackPlayed> played;

    void read() {
        PlaybackState s;
        s.state = state;
        if (state != PlayerState::Idle) {
            s.track = current;
            s.position_ms = position;
        }
        s.position_updated_at_ms = now;
        s.repeat = repeat;
        if (auto done = rule.observe(s, now)) played.push_back(*done);
    }
    // Time passes; the player plays on (to the item's end, then repeat one starts it over).
    void pass(int64_t ms) {
        now += ms;
        if (state != PlayerState::Playing) return;
        position += ms;
        int64_t duration = *current->duration_ms;
        if (position >= duration) position = repeat == "track" ? position % duration : duration;
    }
    // Time passes with a read every `poll_ms`.
    void listen(int64_t ms, int64_t poll_ms = 5000) {
        for (int64_t done = 0; done < ms;) {
            int64_t step = std::min(poll_ms, ms - done);
            pass(step);
            done += step;
            read();
        }
    }
    void play(const Track& next, int64_t at_position = 0) {
        current = next;
        position = at_position;
        state = PlayerState::Playing;
    }
};

}  // namespace

TEST_CASE("an item listened 40 s and then skipped counts once, when it stops", "[played]") {
    Listening l;
    l.play(item("a", 200000));
    l.read();
    l.listen(40000);
    CHECK(l.played.empty());  // still playing: nothing yet
    l.play(item("b", 200000));
    l.pass(1000);  // b has played 1 s when the bridge reads
    l.read();
    REQUIRE(l.played.size() == 1);
    CHECK(l.played[0].item.uri == "spotify:track:a");
    // a stopped when b started, 1 s before this read.
    CHECK(l.played[0].played_at_ms == l.now - 1000);
    CHECK(l.played[0].listened_ms == 40000);
    // b later read again does not bring a back.
    l.listen(10000);
    CHECK(l.played.size() == 1);
}

TEST_CASE("an item skipped after 5 s does not count", "[played]") {
    Listening l;
    l.play(item("a", 200000));
    l.read();
    l.listen(5000);
    l.play(item("b", 200000));
    l.pass(2000);
    l.read();
    CHECK(l.played.empty());
}

TEST_CASE("paused time is not listening time", "[played]") {
    Listening l;
    l.play(item("a", 200000));
    l.read();
    l.listen(20000);
    l.state = PlayerState::Paused;  // right after a read
    l.listen(120000);               // two minutes paused, read all along
    l.state = PlayerState::Playing;
    l.listen(5000);
    l.play(item("b", 200000));  // skipped: 25 s of listening in 2 min 25 s
    l.read();
    CHECK(l.played.empty());

    // Paused, resumed and listened past 30 s in all: counts, with only the time it played.
    Listening m;
    m.play(item("a", 200000));
    m.read();
    m.listen(20000);
    m.state = PlayerState::Paused;
    m.listen(60000);
    m.state = PlayerState::Playing;
    m.listen(15000);
    m.play(item("b", 200000));
    m.read();
    REQUIRE(m.played.size() == 1);
    CHECK(m.played[0].listened_ms == 35000);
}

TEST_CASE("a paused item that is replaced counts with the time it stopped playing", "[played]") {
    Listening l;
    l.play(item("a", 200000));
    l.read();
    l.listen(40000);
    int64_t paused_at = l.now + 2000;
    l.pass(2000);
    l.state = PlayerState::Paused;
    l.listen(30000);
    l.play(item("b", 200000));
    l.read();
    REQUIRE(l.played.size() == 1);
    CHECK(l.played[0].listened_ms == 42000);
    CHECK(l.played[0].played_at_ms == paused_at);
}

TEST_CASE("a 10 s item that plays to its end counts, even between two reads", "[played]") {
    Listening l;
    Track jingle = item("jingle", 10000);
    l.play(jingle);
    l.read();
    l.pass(3000);
    l.read();
    // It ends 7 s later; the next item started then and has played 5 s at the next read.
    int64_t ended_at = l.now + 7000;
    l.pass(7000);
    l.play(item("b", 200000));
    l.pass(5000);
    l.read();
    REQUIRE(l.played.size() == 1);
    CHECK(l.played[0].item.uri == "spotify:track:jingle");
    CHECK(l.played[0].played_at_ms == ended_at);
    CHECK(l.played[0].listened_ms == 10000);
}

TEST_CASE("an item replaced while it was near its end ended naturally", "[played]") {
    Listening l;
    l.play(item("a", 100000), 80000);  // the bridge joins at 80 s (say, it just started)
    l.read();
    l.listen(15000);  // at 95 s
    l.pass(5000);     // a ends between two reads...
    l.play(item("b", 200000), 0);
    l.pass(3000);  // ...and b starts right then
    l.read();
    REQUIRE(l.played.size() == 1);
    CHECK(l.played[0].listened_ms == 20000);  // only what the bridge saw: it counts anyway

    // Skipped at 60 s of 100 with the next read 35 s later: the next item's position tells when
    // it started, so this is a skip (but one after 30 s: it counts, not as an end).
    Listening m;
    m.play(item("a", 100000));
    m.read();
    m.listen(60000, 10000);
    m.play(item("b", 200000));
    m.pass(35000);
    m.read();
    REQUIRE(m.played.size() == 1);
    CHECK(m.played[0].listened_ms == 60000);
    CHECK(m.played[0].played_at_ms == kStart + 60000);
}

TEST_CASE("repeat one counts every round, seen or missed between reads", "[played]") {
    Listening l;
    l.repeat = "track";
    l.play(item("loop", 12000));
    l.read();
    l.listen(36000, 5000);  // three rounds of 12 s, reads every 5 s
    // Rounds ended at 12, 24 and 36 s; the read at 40 s sees the fourth round.
    l.listen(4000, 4000);
    REQUIRE(l.played.size() == 3);
    for (size_t i = 0; i < 3; ++i) {
        CHECK(l.played[i].item.uri == "spotify:track:loop");
        CHECK(l.played[i].played_at_ms == kStart + 12000 * static_cast<int64_t>(i + 1));
        CHECK(l.played[i].listened_ms == 12000);
    }

    // A 4 s item read every 10 s: the read lands further into a later round.
    Listening m;
    m.repeat = "track";
    m.play(item("blip", 4000));
    m.read();
    m.listen(5000, 5000);  // 1 s into the second round
    REQUIRE(m.played.size() == 1);
    CHECK(m.played[0].played_at_ms == kStart + 4000);
}

TEST_CASE("the same track twice in a row counts twice", "[played]") {
    Listening l;
    Track song = item("twice", 60000);
    l.play(song);
    l.read();
    l.listen(58000, 2000);
    l.pass(2000);
    l.play(song, 0);  // the playlist has it again
    l.pass(3000);
    l.read();
    REQUIRE(l.played.size() == 1);
    l.listen(60000, 5000);
    l.play(item("next", 200000));
    l.read();
    CHECK(l.played.size() == 2);
}

TEST_CASE("a predicted state with the last published position does not count twice", "[played]") {
    Listening l;
    l.play(item("a", 200000));
    PlaybackState published;
    published.state = PlayerState::Playing;
    published.track = l.current;
    published.position_ms = 0;
    published.position_updated_at_ms = l.now;
    published.repeat = "off";
    l.read();
    l.listen(20000, 10000);  // reads the bridge did not publish (nothing new)
    l.pass(5000);
    // A volume command: its predicted state is the published one (position 0 at the start).
    CHECK_FALSE(l.rule.observe(published, l.now));
    l.listen(10000, 5000);
    l.play(item("b", 200000));
    l.read();
    REQUIRE(l.played.size() == 1);
    CHECK(l.played[0].listened_ms == 35000);
}

TEST_CASE("a seek forward does not count the part jumped over", "[played]") {
    Listening l;
    l.play(item("a", 300000));
    l.read();
    l.listen(10000);
    l.position = 200000;  // seek to 3:20
    l.listen(10000);
    l.play(item("b", 200000));
    l.read();
    // 10 s, then 5 s of the read interval that jumped, then 5 s: 20 s < 30 s.
    CHECK(l.played.empty());
}

TEST_CASE("idle in the middle ends the item, and a resume is a new listening", "[played]") {
    Listening l;
    l.play(item("a", 300000));
    l.read();
    l.listen(40000);
    l.state = PlayerState::Idle;  // the phone went away right after that read
    l.listen(20000);
    REQUIRE(l.played.size() == 1);
    CHECK(l.played[0].listened_ms == 40000);
    CHECK(l.played[0].played_at_ms == kStart + 40000);

    // Back on the same item: a new listening, from when it came back.
    l.state = PlayerState::Playing;
    l.listen(10000);
    l.state = PlayerState::Idle;
    l.read();
    CHECK(l.played.size() == 1);  // 10 s: not counted
}

TEST_CASE("an item that reaches its end before going idle counts", "[played]") {
    Listening l;
    l.play(item("a", 20000));
    l.read();
    l.listen(15000);
    l.pass(10000);  // ends 5 s later; the next read finds nothing active
    l.state = PlayerState::Idle;
    l.read();
    REQUIRE(l.played.size() == 1);
    CHECK(l.played[0].played_at_ms == kStart + 20000);
    CHECK(l.played[0].listened_ms == 20000);
}

TEST_CASE("an item only seen paused never counts, and at start-up only heard time counts",
          "[played]") {
    Listening l;
    l.play(item("a", 200000), 100000);
    l.state = PlayerState::Paused;
    l.read();
    l.listen(60000);
    l.play(item("b", 200000));
    l.read();
    CHECK(l.played.empty());

    // The bridge starts while an item is at 50 s: it saw 20 s of it, then a skip.
    Listening m;
    m.play(item("a", 200000), 50000);
    m.read();
    m.listen(20000);
    m.play(item("b", 200000));
    m.read();
    CHECK(m.played.empty());
}

TEST_CASE("a device change on the same item keeps its listening", "[played]") {
    Listening l;
    l.play(item("a", 200000));
    l.read();
    l.listen(20000);
    l.pass(1500);  // the transfer costs a moment
    l.read();
    l.listen(15000);
    l.play(item("b", 200000));
    l.read();
    REQUIRE(l.played.size() == 1);
    CHECK(l.played[0].listened_ms == 36500);
}

TEST_CASE("the track_played event has the item as the queue topic lists it", "[played]") {
    TrackPlayed played{item("a", 200000), 1'764'000'000'000, 42000};
    played.item.name = "Say \"hi\"";
    auto event = track_played_event("alice", played);
    CHECK(event == nlohmann::json::parse(R"({"type":"track_played","account":"alice",
        "item":{"uri":"spotify:track:a","name":"Say \"hi\"","artists":["Artist"],"album":"Album",
                "duration_ms":200000,"type":"track"},
        "played_at":"2025-11-24T16:00:00.000Z","listened_ms":42000})"));
}
