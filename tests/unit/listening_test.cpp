// Listening data, pure (core/Listening.h, docs/mqtt.md#recent and #top): when recently played and
// the top items are due, on a fake clock (time is a number), their payloads, and the mapping of
// Spotify's answers (spotify/SpotifyJson.h), malformed ones included.
#include <catch2/catch.hpp>

#include "ConfigTestSupport.h"
#include "TestSupport.h"
#include "config/ConfigLoader.h"
#include "core/Listening.h"
#include "spotify/SpotifyJson.h"

using namespace s2m;
using s2m::test::fixture_json;
using Json = nlohmann::json;

namespace {

constexpr int64_t kListenMinute = 60 * 1000;

PlaybackState shown(PlayerState state, const std::string& uri) {
    PlaybackState s;
    s.state = state;
    if (!uri.empty()) {
        s.track = Track{};
        s.track->uri = uri;
    }
    return s;
}

}  // namespace

TEST_CASE("recently played is read while playing, at most every 10 minutes, when an item changed",
          "[recent]") {
    RecentReads reads;
    int64_t now = 1000000;  // the fake clock
    const PlaybackState a = shown(PlayerState::Playing, "spotify:track:a");
    reads.saw(a);
    CHECK(reads.due(a, now));  // never read
    reads.read(now);
    CHECK_FALSE(reads.due(a, now + 60 * kListenMinute));  // the same item: nothing new
    CHECK_FALSE(reads.wait_ms(a, now + kListenMinute));

    // The next item 3 minutes later: something new, but only 10 minutes after the last read.
    now += 3 * kListenMinute;
    const PlaybackState b = shown(PlayerState::Playing, "spotify:track:b");
    reads.saw(b);
    CHECK_FALSE(reads.due(b, now));
    CHECK(reads.wait_ms(b, now) == 7 * kListenMinute);
    now += 7 * kListenMinute;
    CHECK(reads.due(b, now));
    // Paused or idle: never, whatever changed.
    CHECK_FALSE(reads.due(shown(PlayerState::Paused, "spotify:track:b"), now));
    reads.saw(shown(PlayerState::Idle, ""));
    CHECK_FALSE(reads.due(shown(PlayerState::Idle, ""), now));
    CHECK_FALSE(reads.wait_ms(shown(PlayerState::Idle, ""), now));
    reads.read(now);

    // Pausing and resuming one item is nothing new; a failed read is still unread.
    reads.saw(b);  // playing again after the stop: news
    now += 10 * kListenMinute;
    CHECK(reads.due(b, now));
    reads.read(now);
    reads.saw(shown(PlayerState::Paused, "spotify:track:b"));
    reads.saw(b);
    now += 10 * kListenMinute;
    CHECK_FALSE(reads.due(b, now));
    reads.failed();
    CHECK(reads.due(b, now));
}

TEST_CASE("top items are due when the account comes online, then once a day", "[top]") {
    TopReads reads;
    const int64_t start = 5000000;
    CHECK_FALSE(reads.due(/*online=*/false, start));
    CHECK(reads.due(true, start));
    CHECK_FALSE(reads.wait_ms(start));
    reads.read_at_ms = start;
    CHECK_FALSE(reads.due(true, start + 23 * 60 * kListenMinute));
    CHECK(reads.wait_ms(start + 23 * 60 * kListenMinute) == 60 * kListenMinute);
    CHECK(reads.due(true, start + kTopReadGapMs));
    CHECK_FALSE(reads.due(false, start + kTopReadGapMs));  // offline: when it comes back
    // A failed read is tried again in an hour, not in a day, and not at once.
    reads.failed = true;
    CHECK_FALSE(reads.due(true, start + 59 * kListenMinute));
    CHECK(reads.due(true, start + kTopRetryMs));
}

TEST_CASE("recently played maps to the recent topic's payload", "[recent]") {
    auto played = parse_recently_played(s2m::test::read_fixture("spotify/recently_played.json"));
    REQUIRE(played.ok());
    REQUIRE(played.value().size() == 2);  // the entry whose track is null is left out
    Json payload = recent_payload(played.value());
    REQUIRE(payload.is_array());
    CHECK(payload[0]["played_at"] == "2025-12-06T08:00:00.000Z");
    CHECK(payload[0]["item"] == Json::parse(R"({"uri":"spotify:track:2takcwOaAZWiXQijPHIx7B",
        "name":"Time to Pretend","artists":["MGMT"],"album":"Oracular Spectacular",
        "duration_ms":261000,"type":"track"})"));
    CHECK(payload[1]["item"]["name"] == "Get Lucky (feat. Pharrell Williams and Nile Rodgers)");

    // At most 20, newest first as Spotify lists them.
    std::vector<PlayedItem> many(25, played.value()[0]);
    CHECK(recent_payload(many).size() == kRecentItems);
    CHECK(recent_payload({}) == Json::array());
}

TEST_CASE("top tracks and artists map to the top topic's payload", "[top]") {
    auto tracks = parse_top_tracks(s2m::test::read_fixture("spotify/top_tracks.json"));
    auto artists = parse_top_artists(s2m::test::read_fixture("spotify/top_artists.json"));
    REQUIRE(tracks.ok());
    REQUIRE(artists.ok());
    Json payload = top_payload(TopItems{tracks.value(), artists.value()});
    CHECK(payload["time_range"] == "short_term");
    REQUIRE(payload["tracks"].size() == 2);
    CHECK(payload["tracks"][0]["uri"] == "spotify:track:69kOkLUCkxIZYexIgSG8rq");
    CHECK(payload["tracks"][1]["artists"] == Json::array({"MGMT"}));
    CHECK(payload["artists"] == Json::parse(R"([{"uri":"spotify:artist:4tZwfgrHOc3mvqYlEYSvVi",
        "name":"Daft Punk"},{"uri":"spotify:artist:0SwO7SWeDHJijQ3XNS7xEE","name":"MGMT"}])"));
    TopItems many{std::vector<Track>(15, tracks.value()[0]),
                  std::vector<TopArtist>(15, artists.value()[0])};
    CHECK(top_payload(many)["tracks"].size() == kTopItems);
    CHECK(top_payload(many)["artists"].size() == kTopItems);
}

TEST_CASE("malformed listening answers are a clear error, never a crash", "[recent][top]") {
    for (const char* bad :
         {"not json", "[]", "{}", R"({"items":{}})", R"({"items":[{"track":{"uri":5}}]})",
          R"({"items":[{"track":{"uri":"spotify:track:a"}}]})", R"({"items":[7]})",
          R"({"items":[{"track":"x","played_at":"2025-12-06T08:00:00Z"}]})"}) {
        INFO(bad);
        auto parsed = parse_recently_played(bad);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().kind == ErrorKind::BadResponse);
        CHECK_THAT(parsed.error().message, Catch::StartsWith("Spotify sent an answer"));
    }
    CHECK_THAT(
        parse_recently_played(R"({"items":[{"track":{"uri":"spotify:track:a"}}]})").error().message,
        Catch::Contains("items[0].played_at"));
    for (const char* bad : {"not json", "{}", R"({"items":"x"})", R"({"items":[3]})",
                            R"({"items":[{"uri":["x"]}]})"}) {
        INFO(bad);
        CHECK(parse_top_tracks(bad).error().kind == ErrorKind::BadResponse);
        CHECK(parse_top_artists(bad).error().kind == ErrorKind::BadResponse);
    }
    CHECK(parse_top_artists(R"({"items":[null,{"name":"no uri"}]})").value().empty());
}

TEST_CASE("features.recent and features.top are on by default and can be turned off",
          "[recent][top][config]") {
    LoadedConfig defaults = parse_config("", {}, "test.json");
    CHECK(defaults.config.features.recent);
    CHECK(defaults.config.features.top);
    LoadedConfig off = parse_config(R"({"features":{"recent":false,"top":false}})", {}, "t.json");
    INFO(s2m::test::all_problems(off));
    REQUIRE(off.ok());
    CHECK_FALSE(off.config.features.recent);
    CHECK_FALSE(off.config.features.top);
    CHECK(off.config.features.queue);  // each read has its own switch
    LoadedConfig env = parse_config("", {{"SPOTIFY2MQTT__FEATURES__TOP", "false"}}, "test.json");
    REQUIRE(env.ok());
    CHECK_FALSE(env.config.features.top);
    CHECK(env.config.features.recent);
    for (const char* key : {"recent", "top"}) {
        LoadedConfig wrong =
            parse_config(std::string(R"({"features":{")") + key + R"(":"yes"}})", {}, "t");
        CHECK_FALSE(wrong.ok());
        CHECK_THAT(s2m::test::all_problems(wrong), Catch::Contains(std::string("features.") + key));
    }
}
