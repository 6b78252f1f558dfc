// parse_command (docs/mqtt-commands.md#keys): every key in both forms (/set object and /set/<key>
// plain value), the payload limits, and the exact error sentences a person reads on
// <base>/<account>/response.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/Command.h"
#include "core/CommandBoost.h"

using namespace s2m;
using nlohmann::json;

namespace {

const std::string kTrack = "4uLU6hMCjMI75M1A2tKUQC";
const std::string kAlbum = "1ATL5GLyefJaxhQzSPVrLX";
const std::string kList = "37i9dQZF1DXcBWIGoYBM5M";

std::string error_text(const CommandParse& parse) {
    return parse.ok() ? "(ok)" : parse.error().reason + ": " + parse.error().message;
}

struct Good {
    std::string key;  // "" = the /set object form
    std::string payload;
    CommandSet expected;
    std::optional<json> transaction = std::nullopt;
};

struct Bad {
    std::string key;
    std::string payload;
    std::string reason;
    std::vector<std::string> contains;  // fragments the message must hold
    std::optional<json> transaction = std::nullopt;
};

PlayTarget uris(std::vector<std::string> list) {
    PlayTarget target;
    target.uris = std::move(list);
    return target;
}
PlayTarget context(std::string uri) {
    PlayTarget target;
    target.context_uri = std::move(uri);
    return target;
}
PlayTarget liked() {
    PlayTarget target;
    target.liked = true;
    return target;
}

const std::vector<Good>& good_cases() {
    static const std::vector<Good> cases = {
        // /set: one key each
        {"", R"({"volume":40})", {.volume = 40}},
        {"", R"({"volume":0})", {.volume = 0}},
        {"", R"({"volume":100})", {.volume = 100}},
        {"", R"({"volume":49.6})", {.volume = 50}},
        {"", R"({"volume":50.0})", {.volume = 50}},
        {"", R"({"volume":"50.0"})", {.volume = 50}},
        {"", R"({"volume":" 40 "})", {.volume = 40}},
        {"", R"({"volume":100.4})", {.volume = 100}},
        {"", R"({"shuffle":true})", {.shuffle = true}},
        {"", R"({"shuffle":"ON"})", {.shuffle = true}},
        {"", R"({"shuffle":0})", {.shuffle = false}},
        {"", R"({"shuffle":"No"})", {.shuffle = false}},
        {"", R"({"like":"yes"})", {.like = true}},
        {"", R"({"like":false})", {.like = false}},
        {"",
         R"({"create_playlist":{"name":"Car","public":true}})",
         {.create_playlist = NewPlaylist{"Car", true, std::nullopt}}},
        {"",
         R"({"add_to_playlist":{"playlist":"Car","uri":"spotify:track:t9"}})",
         {.add_to_playlist = PlaylistEdit{{"Car", std::nullopt}, "spotify:track:t9"}}},
        {"",
         R"({"remove_from_playlist":"spotify:playlist:p1"})",
         {.remove_from_playlist = PlaylistEdit{{std::nullopt, "spotify:playlist:p1"}, {}}}},
        {"", R"({"repeat":"Track"})", {.repeat = "track"}},
        {"", R"({"repeat":"one"})", {.repeat = "track"}},
        {"", R"({"repeat":"all"})", {.repeat = "context"}},
        {"", R"({"repeat":"OFF"})", {.repeat = "off"}},
        {"", R"({"command":"PLAY"})", {.command = Transport::Play}},
        {"", R"({"command":"playpause"})", {.command = Transport::Toggle}},
        {"", R"({"command":"play_pause"})", {.command = Transport::Toggle}},
        {"", R"({"command":"toggle"})", {.command = Transport::Toggle}},
        {"", R"({"command":"prev"})", {.command = Transport::Previous}},
        {"", R"({"command":"stop"})", {.command = Transport::Pause}},
        {"", R"({"command":"skip"})", {.command = Transport::Next}},
        {"", R"({"position_ms":90000})", {.position_ms = 90000}},
        {"", R"({"position_ms":"1500.4"})", {.position_ms = 1500}},
        {"", R"({"position_ms":86400000})", {.position_ms = 86400000}},
        {"", R"({"device":"  Kitchen Speaker "})", {.device = "Kitchen Speaker"}},
        {"",
         R"({"play":"spotify:track:)" + kTrack + R"("})",
         {.play = uris({"spotify:track:" + kTrack})}},
        {"",
         R"({"play":"https://open.spotify.com/intl-de/album/)" + kAlbum + R"(?si=abc"})",
         {.play = context("spotify:album:" + kAlbum)}},
        {"", R"({"play":"LIKED"})", {.play = liked()}},
        {"", R"({"play":"https://open.spotify.com/collection/tracks"})", {.play = liked()}},
        {"",
         R"({"play":"spotify:user:alice:collection"})",
         {.play = context("spotify:user:alice:collection")}},
        {"",
         R"({"play":{"uris":["spotify:track:a1","https://open.spotify.com/episode/b2"],"offset":1}})",
         {.play = PlayTarget{.uris = {"spotify:track:a1", "spotify:episode:b2"},
                             .offset = PlayOffset{.position = 1}}}},
        {"",
         R"({"play":{"uri":"spotify:playlist:)" + kList +
             R"(","offset":"open.spotify.com/track/t9","position_ms":1000,"device":"Den"}})",
         {.play = PlayTarget{.context_uri = "spotify:playlist:" + kList,
                             .device = "Den",
                             .offset = PlayOffset{.uri = "spotify:track:t9"},
                             .position_ms = 1000}}},
        {"", R"({"play":{"device":"Kitchen"}})", {.play = PlayTarget{.device = "Kitchen"}}},
        {"",
         R"({"play":{"uri":"liked","offset":3}})",
         {.play = PlayTarget{.liked = true, .offset = PlayOffset{.position = 3}}}},
        {"", R"({"playlist":"Morning Mix"})", {.playlist = PlaylistRef{.name = "Morning Mix"}}},
        {"",
         R"({"playlist":"spotify:playlist:)" + kList + R"("})",
         {.playlist = PlaylistRef{.uri = "spotify:playlist:" + kList}}},
        {"",
         R"({"playlist":"https://open.spotify.com/playlist/)" + kList + R"(?si=x1"})",
         {.playlist = PlaylistRef{.uri = "spotify:playlist:" + kList}}},
        {"", R"({"queue":"open.spotify.com/track/abc"})", {.queue = "spotify:track:abc"}},
        // /set: combined, with transaction
        {"",
         R"({"command":"play","volume":30,"device":"Kitchen","transaction":"t1"})",
         {.device = "Kitchen", .volume = 30, .command = Transport::Play},
         json("t1")},
        {"", R"({"transaction":{"id":7},"volume":10})", {.volume = 10}, json{{"id", 7}}},
        {"", R"({"transaction":null,"like":true})", {.like = true}, json(nullptr)},
        {"",
         R"({"shuffle":"off","repeat":"context","like":1})",
         {.shuffle = false, .repeat = "context", .like = true}},
        // /set/<key>: plain values
        {"volume", "40", {.volume = 40}},
        {"volume", " 50.0 \n", {.volume = 50}},
        {"volume", R"("40")", {.volume = 40}},
        // volume_level: Home Assistant's 0.0–1.0, as the mqtt_media_player component sends it
        {"volume_level", "0.55", {.volume = 55}},
        {"volume_level", "1.0", {.volume = 100}},
        {"volume_level", "0", {.volume = 0}},
        {"volume_level", "0.004", {.volume = 0}},
        {"volume_level", R"("0.3")", {.volume = 30}},
        {"", R"({"volume_level":0.07})", {.volume = 7}},
        // relative volume, mute, snapshot and restore (more in command_volume_test, snapshot_test)
        {"", R"({"volume":"+5"})", {.volume_step = 5}},
        {"volume", "-10", {.volume_step = -10}},
        {"", R"({"mute":true})", {.mute = true}},
        {"mute", "unmute", {.mute = false}},
        {"", R"({"snapshot":true,"restore":"tts"})", {.snapshot = "default", .restore = "tts"}},
        {"snapshot", "doorbell", {.snapshot = "doorbell"}},
        {"restore", "true", {.restore = "default"}},
        // play_media from Home Assistant: media_id stands for uri, media_type is not needed
        {"play",
         R"({"media_type":"music","media_id":"spotify:album:)" + kAlbum + R"("})",
         {.play = context("spotify:album:" + kAlbum)}},
        {"play",
         R"({"media_type":"playlist","media_id":"https://open.spotify.com/playlist/)" + kList +
             R"(?si=x"})",
         {.play = context("spotify:playlist:" + kList)}},
        {"", R"({"play":{"media_id":"liked"}})", {.play = liked()}},
        {"shuffle", "ON", {.shuffle = true}},
        {"shuffle", "false", {.shuffle = false}},
        {"shuffle", "1", {.shuffle = true}},
        {"like", "No", {.like = false}},
        {"like", "true", {.like = true}},
        {"create_playlist", "2026", {.create_playlist = NewPlaylist{"2026", false, std::nullopt}}},
        {"add_to_playlist", "Car", {.add_to_playlist = PlaylistEdit{{"Car", std::nullopt}, {}}}},
        {"remove_from_playlist",
         "true",
         {.remove_from_playlist = PlaylistEdit{{"true", std::nullopt}, {}}}},
        {"repeat", "context", {.repeat = "context"}},
        {"repeat", "all", {.repeat = "context"}},
        {"command", "Next", {.command = Transport::Next}},
        {"command", R"("pause")", {.command = Transport::Pause}},
        {"device", "123", {.device = "123"}},
        {"device", "true", {.device = "true"}},
        {"device", "Kitchen Speaker", {.device = "Kitchen Speaker"}},
        {"device", R"("Living Room")", {.device = "Living Room"}},
        {"play", "spotify:track:" + kTrack, {.play = uris({"spotify:track:" + kTrack})}},
        {"play",
         R"({"uri":"spotify:album:)" + kAlbum + R"(","offset":2})",
         {.play = PlayTarget{.context_uri = "spotify:album:" + kAlbum,
                             .offset = PlayOffset{.position = 2}}}},
        {"play", "liked", {.play = liked()}},
        {"play",
         "https://open.spotify.com/artist/0OdUWJ0sBjDrqHygGUXeCF",
         {.play = context("spotify:artist:0OdUWJ0sBjDrqHygGUXeCF")}},
        {"playlist", "2024", {.playlist = PlaylistRef{.name = "2024"}}},
        {"playlist", "null", {.playlist = PlaylistRef{.name = "null"}}},
        {"playlist", "Chill Vibes", {.playlist = PlaylistRef{.name = "Chill Vibes"}}},
        {"search",
         "artist: Daft Punk",
         {.play = PlayTarget{.search = NameSearch{"Daft Punk", SearchType::Artist}}}},
        {"",
         R"({"search":"Chill Vibes","device":"Kitchen"})",
         {.device = "Kitchen",
          .play = PlayTarget{.search = NameSearch{"Chill Vibes", std::nullopt}}}},
        {"queue", "spotify:episode:abc", {.queue = "spotify:episode:abc"}},
        {"queue", "https://open.spotify.com/track/x1y2?si=q", {.queue = "spotify:track:x1y2"}},
        {"position_ms", "60000", {.position_ms = 60000}},
        {"position_ms", "0", {.position_ms = 0}},
        // boost: seconds, true / ON / empty for the default (a Home Assistant button), 0 ends it
        {"boost", "", {.boost_s = kDefaultBoostS}},
        {"boost", " ON ", {.boost_s = kDefaultBoostS}},
        {"boost", "true", {.boost_s = kDefaultBoostS}},
        {"boost", "600", {.boost_s = 600}},
        {"boost", "0", {.boost_s = 0}},
        {"boost", "off", {.boost_s = 0}},
        {"", R"({"boost":true})", {.boost_s = kDefaultBoostS}},
        {"", R"({"boost":3600})", {.boost_s = kMaxBoostS}},
        {"", R"({"boost":"120"})", {.boost_s = 120}},
        {"", R"({"boost":""})", {.boost_s = kDefaultBoostS}},
        {"", R"({"command":"play","boost":300})", {.command = Transport::Play, .boost_s = 300}},
    };
    return cases;
}

std::string many_uris(size_t count) {
    json list = json::array();
    for (size_t i = 0; i < count; ++i) list.push_back("spotify:track:t" + std::to_string(i));
    return json{{"play", {{"uris", list}}}}.dump();
}

const std::vector<Bad>& bad_cases() {
    static const std::vector<Bad> cases = {
        // the /set payload itself
        {"",
         "[1,2]",
         "INVALID_PAYLOAD",
         {"must be a JSON object such as {\"volume\":40}", "an array"}},
        {"", "\"volume\"", "INVALID_PAYLOAD", {"got a string"}},
        {"", "volume=40", "INVALID_PAYLOAD", {"got text that is not JSON", "\"volume=40\""}},
        {"", "", "INVALID_PAYLOAD", {"must be a JSON object", "got an empty payload"}},
        {"", "{}", "INVALID_PAYLOAD", {"nothing to do"}},
        {"", R"({"transaction":"t9"})", "INVALID_PAYLOAD", {"nothing to do"}, json("t9")},
        {"",
         R"({"volum":40,"transaction":"t2"})",
         "UNKNOWN_KEY",
         {"\"volum\"",
          "snapshot, restore, device, play, playlist, search, shuffle, repeat, volume, "
          "volume_level, mute, position_ms"},
         json("t2")},
        {"", R"({"Volume":40})", "UNKNOWN_KEY", {"did you mean \"volume\"?"}},
        {"",
         R"({"play":"spotify:track:a","playlist":"x","transaction":[1]})",
         "INVALID_PAYLOAD",
         {"play and playlist cannot be combined"},
         json{1}},
        // wrong values, with the transaction echoed
        {"",
         R"({"volume":150,"transaction":5})",
         "INVALID_PAYLOAD",
         {"volume must be a whole number from 0 to 100, got 150"},
         json(5)},
        {"", R"({"volume":-1})", "INVALID_PAYLOAD", {"from 0 to 100, got -1"}},
        {"", R"({"volume":"loud"})", "INVALID_PAYLOAD", {"from 0 to 100, got \"loud\""}},
        {"", R"({"volume":true})", "INVALID_PAYLOAD", {"from 0 to 100, got true"}},
        {"", R"({"volume":1e300})", "INVALID_PAYLOAD", {"from 0 to 100"}},
        {"", R"({"volume":"nan"})", "INVALID_PAYLOAD", {"from 0 to 100"}},
        {"", R"({"volume":"inf"})", "INVALID_PAYLOAD", {"from 0 to 100"}},
        {"", R"({"volume":100.6})", "INVALID_PAYLOAD", {"from 0 to 100, got 100.6"}},
        {"", R"({"volume":[40]})", "INVALID_PAYLOAD", {"got an array"}},
        {"",
         R"({"position_ms":-5})",
         "INVALID_PAYLOAD",
         {"position_ms must be a whole number of milliseconds from 0 to 86400000 (24 h), got -5"}},
        {"", R"({"position_ms":86400001})", "INVALID_PAYLOAD", {"from 0 to 86400000"}},
        {"",
         R"({"shuffle":"maybe","transaction":"t3"})",
         "INVALID_PAYLOAD",
         {"shuffle must be true or false (also on/off, 1/0), got \"maybe\""},
         json("t3")},
        {"", R"({"shuffle":2})", "INVALID_PAYLOAD", {"shuffle must be true or false", "got 2"}},
        {"", R"({"like":null})", "INVALID_PAYLOAD", {"like must be true or false", "got null"}},
        {"",
         R"({"repeat":"sometimes"})",
         "INVALID_PAYLOAD",
         {"repeat must be off, track or context", "\"sometimes\""}},
        {"",
         R"({"command":"rewind"})",
         "INVALID_PAYLOAD",
         {"command must be play, pause, toggle, next or previous, got \"rewind\""}},
        {"", R"({"device":""})", "INVALID_PAYLOAD", {"device must be a device name or id"}},
        {"", R"({"device":5})", "INVALID_PAYLOAD", {"device must be", "got 5"}},
        {"",
         R"({"device":")" + std::string(300, 'a') + R"("})",
         "INVALID_PAYLOAD",
         {"device is too long: 300 bytes (at most 256)"}},
        // keys run (and fail) in command_keys() order, not the JSON object's order
        {"", R"({"volume":40,"shuffle":"x","repeat":"y"})", "INVALID_PAYLOAD", {"shuffle must"}},
        {"", R"({"command":"x","device":7})", "INVALID_PAYLOAD", {"device must"}},
        // play
        {"", R"({"play":{}})", "INVALID_PAYLOAD", {"play must not be an empty object"}},
        {"",
         R"({"play":{"uri":"spotify:track:a","uris":["spotify:track:b"]}})",
         "INVALID_PAYLOAD",
         {"play.uri, play.uris and play.media_id cannot be combined"}},
        {"", R"({"play":{"uris":[]}})", "INVALID_PAYLOAD", {"play.uris must hold 1 to 100"}},
        {"", many_uris(101), "INVALID_PAYLOAD", {"play.uris must hold 1 to 100", "got 101"}},
        {"",
         R"({"play":{"uris":"spotify:track:a"}})",
         "INVALID_PAYLOAD",
         {"play.uris must be an array"}},
        {"",
         R"({"play":{"uris":["spotify:track:a","spotify:album:b"]}})",
         "INVALID_PAYLOAD",
         {"play.uris[1] must be a track, episode or chapter", "is an album link"}},
        {"",
         R"({"play":{"offset":2}})",
         "INVALID_PAYLOAD",
         {"play.offset needs play.uri, play.uris or play.media_id"}},
        {"",
         R"({"play":{"uri":"spotify:album:a","offset":-1}})",
         "INVALID_PAYLOAD",
         {"play.offset must be an index from 0"}},
        {"",
         R"({"play":{"uri":"spotify:album:a","offset":"spotify:album:b"}})",
         "INVALID_PAYLOAD",
         {"play.offset must be a track, episode or chapter"}},
        {"",
         R"({"play":{"uri":"spotify:album:a","position_ms":-1}})",
         "INVALID_PAYLOAD",
         {"play.position_ms must be a whole number of milliseconds from 0 to 86400000"}},
        {"",
         R"({"play":{"urls":"x"}})",
         "UNKNOWN_KEY",
         {"\"play.urls\"", "uri, uris, device, offset, position_ms"}},
        {"",
         R"({"play":{"uri":"spotify:track:a","transaction":1}})",
         "UNKNOWN_KEY",
         {"\"play.transaction\""}},
        {"",
         R"({"play":"https://spotify.link/abc123"})",
         "INVALID_PAYLOAD",
         {"short links", "open.spotify.com link"}},
        {"",
         R"({"play":"Bohemian Rhapsody"})",
         "INVALID_PAYLOAD",
         {"play takes a Spotify URI", "\"Bohemian Rhapsody\" is not one"}},
        {"", R"({"play":42})", "INVALID_PAYLOAD", {"play takes", "got 42"}},
        {"", R"({"play":{"uri":7}})", "INVALID_PAYLOAD", {"play.uri must be", "got 7"}},
        // playlist, queue
        {"",
         R"({"playlist":"spotify:album:abc"})",
         "INVALID_PAYLOAD",
         {"playlist takes a playlist name or playlist link; use play for albums",
          "is an album link"}},
        {"",
         R"({"playlist":"spotify:playlist:bad!"})",
         "INVALID_PAYLOAD",
         {"is not a playlist link", "letters and digits"}},
        {"", R"({"playlist":""})", "INVALID_PAYLOAD", {"playlist must be"}},
        {"",
         R"({"queue":"spotify:album:abc"})",
         "INVALID_PAYLOAD",
         {"queue must be a track, episode or chapter", "is an album link"}},
        {"",
         R"({"queue":"spotify:track:ab!c"})",
         "INVALID_PAYLOAD",
         {"queue must be a track, episode or chapter URI", "1 to 64 letters and digits"}},
        {"", R"({"queue":["spotify:track:a"]})", "INVALID_PAYLOAD", {"got an array"}},
        // /set/<key>
        {"volume",
         "150",
         "INVALID_PAYLOAD",
         {"volume must be a whole number from 0 to 100, got 150"}},
        {"volume", "", "INVALID_PAYLOAD", {"the payload is empty"}},
        {"volume", "  \n ", "INVALID_PAYLOAD", {"the payload is empty"}},
        {"volume", "forty", "INVALID_PAYLOAD", {"got \"forty\""}},
        {"volume", "1e400", "INVALID_PAYLOAD", {"from 0 to 100"}},
        {"shuffle", "maybe", "INVALID_PAYLOAD", {"shuffle must be true or false"}},
        {"like", "2", "INVALID_PAYLOAD", {"like must be true or false", "got 2"}},
        {"transaction", "abc", "INVALID_PAYLOAD", {"nothing to do"}},
        {"volumes", "40", "UNKNOWN_KEY", {"\"volumes\"", "device, play, playlist"}},
        {"Volume", "40", "UNKNOWN_KEY", {"did you mean \"volume\"?"}},
        {"play", "spotify:album:", "INVALID_PAYLOAD", {"1 to 64 letters and digits"}},
        {"play", "{}", "INVALID_PAYLOAD", {"play must not be an empty object"}},
        {"volume_level",
         "1.5",
         "INVALID_PAYLOAD",
         {"volume_level must be a number from 0.0 to 1.0", "got 1.5"}},
        {"volume_level", "55", "INVALID_PAYLOAD", {"use volume for 0–100", "got 55"}},
        {"volume_level", "-0.1", "INVALID_PAYLOAD", {"from 0.0 to 1.0"}},
        {"volume_level", "loud", "INVALID_PAYLOAD", {"volume_level must be a number", "\"loud\""}},
        {"",
         R"({"volume":40,"volume_level":0.4})",
         "INVALID_PAYLOAD",
         {"volume and volume_level cannot be combined"}},
        {"play",
         R"({"media_id":"spotify:track:a","uri":"spotify:track:b"})",
         "INVALID_PAYLOAD",
         {"play.uri, play.uris and play.media_id cannot be combined"}},
        {"play",
         R"({"media_type":"music"})",
         "INVALID_PAYLOAD",
         {"play.media_type needs play.media_id"}},
        {"play",
         R"({"media_id":"spotify:track:)" + kTrack + R"(","media_type":3})",
         "INVALID_PAYLOAD",
         {"play.media_type must be a string", "got 3"}},
        {"play",
         R"({"media_id":"radio"})",
         "INVALID_PAYLOAD",
         {"play.media_id takes a Spotify URI"}},
        {"repeat", "5", "INVALID_PAYLOAD", {"repeat must be off, track or context", "got \"5\""}},
        {"device", R"({"a":1})", "INVALID_PAYLOAD", {"device must be", "got an object"}},
        {"command", "[]", "INVALID_PAYLOAD", {"command must be", "got an array"}},
        {"queue", "spotify.link/x", "INVALID_PAYLOAD", {"short links"}},
        {"position_ms", "-1", "INVALID_PAYLOAD", {"from 0 to 86400000"}},
        {"playlist", "spotify:track:abc", "INVALID_PAYLOAD", {"use play for albums"}},
        {"boost",
         "3601",
         "INVALID_PAYLOAD",
         {"boost must be a number of seconds from 0 to 3600 (1 h; 0 ends a boost), or true for "
          "900 s; got 3601"}},
        {"boost", "-5", "INVALID_PAYLOAD", {"from 0 to 3600", "got \"-5\""}},
        {"boost", "soon", "INVALID_PAYLOAD", {"boost must be", "got \"soon\""}},
        {"", R"({"boost":[60]})", "INVALID_PAYLOAD", {"boost must be", "got an array"}},
        {"", R"({"boost":null})", "INVALID_PAYLOAD", {"boost must be", "got null"}},
    };
    return cases;
}

}  // namespace

TEST_CASE("valid commands parse to exactly the expected values, in both forms", "[command]") {
    CHECK(good_cases().size() >= 45);
    for (const auto& c : good_cases()) {
        INFO("set/" << c.key << " <- " << c.payload);
        auto parse = parse_command(c.key, c.payload);
        INFO(error_text(parse));
        REQUIRE(parse.ok());
        CHECK(parse.commands() == c.expected);
        CHECK(parse.transaction == c.transaction);
    }
}

TEST_CASE("invalid commands give the reason and a sentence a person can act on", "[command]") {
    CHECK(bad_cases().size() >= 25);
    for (const auto& c : bad_cases()) {
        INFO("set/" << c.key << " <- " << c.payload.substr(0, 200));
        auto parse = parse_command(c.key, c.payload);
        REQUIRE_FALSE(parse.ok());
        INFO(error_text(parse));
        CHECK(parse.error().reason == c.reason);
        for (const auto& fragment : c.contains)
            CHECK_THAT(parse.error().message, Catch::Contains(fragment));
        CHECK(parse.transaction == c.transaction);
        CHECK(is_valid_utf8(parse.error().message));
        CHECK(parse.error().message.size() < 400);
    }
}

TEST_CASE("every key works in both forms", "[command]") {
    for (const auto& key : command_keys()) {
        if (key == "transaction") continue;
        bool object_form = false;
        bool plain_form = false;
        for (const auto& c : good_cases()) {
            if (c.key.empty() && json::parse(c.payload).contains(key)) object_form = true;
            if (c.key == key) plain_form = true;
        }
        INFO(key);
        CHECK(object_form);
        CHECK(plain_form);
    }
}

TEST_CASE("payload size limit", "[command]") {
    std::string megabyte(1024 * 1024, ' ');
    megabyte.replace(0, 13, R"({"volume":40})");
    auto parse = parse_command("", megabyte);
    REQUIRE_FALSE(parse.ok());
    CHECK(parse.error().reason == "INVALID_PAYLOAD");
    CHECK(parse.error().message == "the payload is too large: 1048576 bytes (at most 65536)");
    CHECK(parse_command("volume", megabyte).error().message ==
          "the payload is too large: 1048576 bytes (at most 65536)");

    std::string at_limit = R"({"volume":40})" + std::string(kMaxCommandPayloadBytes - 13, ' ');
    REQUIRE(at_limit.size() == kMaxCommandPayloadBytes);
    CHECK(parse_command("", at_limit).ok());
    CHECK_THAT(parse_command("", at_limit + " ").error().message,
               Catch::Contains("65537 bytes (at most 65536)"));
}

TEST_CASE("deep nesting is refused before parsing", "[command]") {
    std::string deep(100000, '[');
    CHECK(parse_command("", deep).error().reason == "INVALID_PAYLOAD");  // too large, no recursion
    CHECK(parse_command("play", deep).error().reason == "INVALID_PAYLOAD");

    std::string within(60000, '[');
    for (const char* key : {"", "play", "device", "volume"}) {
        auto parse = parse_command(key, within);
        REQUIRE_FALSE(parse.ok());
        CHECK_THAT(parse.error().message,
                   Catch::Contains("nested too deeply (more than 16 levels"));
    }
    std::string objects;
    for (int i = 0; i < 10000; ++i) objects += R"({"a":)";
    CHECK_THAT(parse_command("", objects).error().message, Catch::Contains("nested too deeply"));

    // 16 levels are fine (and echoed), 17 are not; brackets inside strings do not count.
    auto nested = [](int levels) {
        std::string text = R"({"volume":1,"transaction":)";
        text += std::string(static_cast<size_t>(levels - 1), '[') + "\"[[[[[[[[[[[[[[[[[[[[\"" +
                std::string(static_cast<size_t>(levels - 1), ']') + "}";
        return text;
    };
    auto sixteen = parse_command("", nested(16));
    INFO(error_text(sixteen));
    REQUIRE(sixteen.ok());
    CHECK(sixteen.transaction->dump().size() > 20);
    CHECK_THAT(parse_command("", nested(17)).error().message, Catch::Contains("nested too deeply"));
}

TEST_CASE("payloads that are not UTF-8 are refused", "[command]") {
    const std::vector<std::string> broken = {
        "\xC0\xAF",          // overlong '/'
        "\xE0\x80\xAF",      // overlong, 3 bytes
        "\xED\xA0\x80",      // UTF-16 surrogate D800
        "\xE2\x82",          // truncated €
        "\xF4\x90\x80\x80",  // beyond U+10FFFF
        "\xFF",
        "\x80",  // lone continuation byte
    };
    for (const auto& bytes : broken) {
        for (const char* key : {"", "device", "playlist"}) {
            std::string payload =
                key[0] ? "Kitchen" + bytes : R"({"device":"Kitchen)" + bytes + R"("})";
            auto parse = parse_command(key, payload);
            REQUIRE_FALSE(parse.ok());
            CHECK(parse.error().reason == "INVALID_PAYLOAD");
            CHECK(parse.error().message == "the payload is not valid UTF-8");
        }
    }
    // A topic level that is not UTF-8 is an unknown key, and the message stays valid UTF-8.
    auto key = parse_command("vol\xFF", "40");
    CHECK(key.error().reason == "UNKNOWN_KEY");
    CHECK(is_valid_utf8(key.error().message));
}

TEST_CASE("UTF-8 validation is strict", "[command]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ASCII"));
    CHECK(is_valid_utf8("Küche €  \xF0\x9F\x8E\xB5"));  // 2-, 3- and 4-byte sequences
    CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));           // U+10FFFF
    CHECK(is_valid_utf8("\xED\x9F\xBF"));               // U+D7FF, just below the surrogates
    CHECK(is_valid_utf8(std::string("a\0b", 3)));
    CHECK_FALSE(is_valid_utf8("\xC1\xBF"));
    CHECK_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // overlong 4-byte
    CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // surrogate DFFF
    CHECK_FALSE(is_valid_utf8("\xF0\x9F\x8E"));      // truncated emoji
    CHECK_FALSE(is_valid_utf8("\xC3"));
    CHECK_FALSE(is_valid_utf8("\xC3\x28"));
    CHECK_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));
}

TEST_CASE("messages quote user input as a short excerpt cut on a character boundary", "[command]") {
    std::string long_text;
    for (int i = 0; i < 50; ++i) long_text += "é";  // 100 bytes
    auto parse = parse_command("", R"({"volume":")" + long_text + R"("})");
    REQUIRE_FALSE(parse.ok());
    const auto& message = parse.error().message;
    CHECK(is_valid_utf8(message));
    CHECK_THAT(message, Catch::Contains("got \"" + long_text.substr(0, 40) + "…\""));
    CHECK(message.find(long_text.substr(0, 42)) == std::string::npos);

    // A cut that would split a character backs off to its start.
    std::string odd = "a" + long_text;
    auto cut = parse_command("repeat", odd).error().message;
    CHECK(is_valid_utf8(cut));
    CHECK_THAT(cut, Catch::Contains("got \"" + odd.substr(0, 39) + "…\""));
}

TEST_CASE("the transaction is echoed as given", "[command]") {
    auto parse = parse_command("", R"({"transaction":{"id":"a","n":[1,2]},"volume":20})");
    REQUIRE(parse.ok());
    CHECK(*parse.transaction == json::parse(R"({"id":"a","n":[1,2]})"));
    // not an object: nothing to echo
    CHECK_FALSE(parse_command("", R"([{"transaction":"t"}])").transaction);
    CHECK_FALSE(parse_command("volume", "500").transaction);
}

TEST_CASE("command keys and transport names", "[command]") {
    CHECK(command_keys() == std::vector<std::string>{"snapshot",
                                                     "restore",
                                                     "device",
                                                     "play",
                                                     "playlist",
                                                     "search",
                                                     "shuffle",
                                                     "repeat",
                                                     "volume",
                                                     "volume_level",
                                                     "mute",
                                                     "position_ms",
                                                     "queue",
                                                     "like",
                                                     "create_playlist",
                                                     "add_to_playlist",
                                                     "remove_from_playlist",
                                                     "command",
                                                     "boost",
                                                     "transaction"});
    CHECK(std::string(to_string(Transport::Play)) == "play");
    CHECK(std::string(to_string(Transport::Pause)) == "pause");
    CHECK(std::string(to_string(Transport::Toggle)) == "toggle");
    CHECK(std::string(to_string(Transport::Next)) == "next");
    CHECK(std::string(to_string(Transport::Previous)) == "previous");
}
