// Podcasts and audiobooks (docs/mqtt-commands.md#play, docs/mqtt.md#account-state): their links,
// what `play` makes of them, the Spotify call it plans, and how the player's answer for an
// episode or a chapter maps to the account state and Home Assistant's media player.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "TestSupport.h"
#include "core/Command.h"
#include "core/CommandPlan.h"
#include "core/MediaPlayerDiscovery.h"
#include "core/StatePayload.h"
#include "spotify/Endpoints.h"
#include "spotify/SpotifyJson.h"

using namespace s2m;
using nlohmann::json;
using s2m::test::fixture_json;
using s2m::test::read_fixture;

namespace {

const std::string kBookId = "7iHfbu1YPACw6oZPAFJtqe";
constexpr int64_t kSpokenReadAt = 1763796600123;  // 2025-11-22T07:30:00.123Z

SpotifyLink spoken_link(std::string type, std::string id, std::string uri) {
    return {std::move(type), std::move(id), std::move(uri)};
}

PlayTarget played_target(const std::string& key, const std::string& payload) {
    CommandParse parse = parse_command(key, payload);
    INFO(key << " " << payload);
    if (!parse.ok()) FAIL(parse.error().message);
    REQUIRE(parse.commands().play);
    return *parse.commands().play;
}

std::string refusal_of(const std::string& key, const std::string& payload) {
    CommandParse parse = parse_command(key, payload);
    INFO(key << " " << payload);
    REQUIRE_FALSE(parse.ok());
    CHECK(parse.error().reason == "INVALID_PAYLOAD");
    return parse.error().message;
}

}  // namespace

TEST_CASE("show, episode, audiobook and chapter links in every spelling", "[link][spoken_word]") {
    const std::vector<std::pair<std::string, SpotifyLink>> cases = {
        {"spotify:audiobook:" + kBookId,
         spoken_link("audiobook", kBookId, "spotify:audiobook:" + kBookId)},
        {"SPOTIFY:Chapter:" + kBookId,
         spoken_link("chapter", kBookId, "spotify:chapter:" + kBookId)},
        {"https://open.spotify.com/audiobook/" + kBookId + "?si=Ab12",
         spoken_link("audiobook", kBookId, "spotify:audiobook:" + kBookId)},
        {"open.spotify.com/intl-de/chapter/" + kBookId,
         spoken_link("chapter", kBookId, "spotify:chapter:" + kBookId)},
        {"https://open.spotify.com/intl-pt-br/show/" + kBookId + "/?si=x#t",
         spoken_link("show", kBookId, "spotify:show:" + kBookId)},
        {"https://open.spotify.com/intl-ja/episode/" + kBookId + "?si=abc&t=60",
         spoken_link("episode", kBookId, "spotify:episode:" + kBookId)},
        {"https://open.spotify.com/embed/audiobook/" + kBookId,
         spoken_link("audiobook", kBookId, "spotify:audiobook:" + kBookId)},
        {"spotify:user:alice:collection:your-episodes",
         spoken_link("your_episodes", "alice", "spotify:user:alice:collection:your-episodes")},
        {"SPOTIFY:USER:Alice:Collection:Your-Episodes",
         spoken_link("your_episodes", "Alice", "spotify:user:Alice:collection:your-episodes")},
        {"https://open.spotify.com/collection/episodes?si=1", spoken_link("your_episodes", "", "")},
        {"open.spotify.com/intl-fr/collection/episodes/", spoken_link("your_episodes", "", "")},
    };
    for (const auto& [text, expected] : cases) {
        INFO(text);
        std::string why;
        auto parsed = parse_spotify_link(text, &why);
        INFO(why);
        REQUIRE(parsed);
        CHECK(*parsed == expected);
        if (!parsed->uri.empty()) CHECK(parse_spotify_link(parsed->uri) == parsed);
    }
    std::string why;
    CHECK_FALSE(parse_spotify_link("spotify:user:alice:collection:podcasts", &why));
    CHECK_THAT(why, Catch::Contains("spotify:user:<user>:collection:your-episodes"));
    CHECK_FALSE(parse_spotify_link("https://open.spotify.com/collection/audiobooks", &why));
    CHECK_THAT(why, Catch::Contains("open.spotify.com/collection/episodes (Your Episodes)"));
    CHECK_FALSE(parse_spotify_link("spotify:audiobook:" + kBookId + "!", &why));
    CHECK_THAT(why, Catch::Contains("the audiobook id must be 1 to 64 letters and digits"));
}

TEST_CASE("play: shows, audiobooks and Your Episodes are contexts, episodes and chapters items",
          "[command][spoken_word]") {
    CHECK(played_target("play", "your_episodes").your_episodes);
    CHECK(played_target("", R"({"play":"Your_Episodes"})").your_episodes);
    CHECK(played_target("play", "https://open.spotify.com/collection/episodes").your_episodes);
    CHECK(played_target("play", "spotify:user:alice:collection:your-episodes").context_uri ==
          "spotify:user:alice:collection:your-episodes");
    CHECK(played_target("play", "https://open.spotify.com/intl-de/show/" + kBookId + "?si=1")
              .context_uri == "spotify:show:" + kBookId);
    CHECK(played_target("play", "spotify:audiobook:" + kBookId).context_uri ==
          "spotify:audiobook:" + kBookId);
    CHECK(played_target("play", "open.spotify.com/episode/" + kBookId + "?si=z").uris ==
          std::vector<std::string>{"spotify:episode:" + kBookId});
    // The reference's chapters are episodes: a chapter plays by its episode URI.
    CHECK(played_target("play", "https://open.spotify.com/intl-en/chapter/" + kBookId).uris ==
          std::vector<std::string>{"spotify:episode:" + kBookId});

    PlayTarget book =
        played_target("", R"({"play":{"media_id":"spotify:audiobook:)" + kBookId +
                              R"(","media_type":"audiobook","offset":"spotify:chapter:c2"}})");
    CHECK(book.context_uri == "spotify:audiobook:" + kBookId);
    CHECK(book.offset == PlayOffset{.uri = "spotify:episode:c2"});
    PlayTarget episodes =
        played_target("", R"({"play":{"uri":"your_episodes","offset":1,"position_ms":9000}})");
    CHECK(episodes.your_episodes);
    CHECK(episodes.offset == PlayOffset{.position = 1});
    CHECK(episodes.position_ms == 9000);
    CHECK(parse_command("queue", "https://open.spotify.com/intl-de/chapter/c3?si=1")
              .commands()
              .queue == "spotify:episode:c3");
    CHECK(played_target("", R"({"play":{"uris":["spotify:chapter:c1","spotify:episode:e1"]}})")
              .uris == std::vector<std::string>{"spotify:episode:c1", "spotify:episode:e1"});
}

TEST_CASE("podcast and audiobook mistakes get one precise sentence", "[command][spoken_word]") {
    CHECK_THAT(refusal_of("", R"({"play":{"uri":"spotify:chapter:c1","offset":2}})"),
               Catch::Contains("play.offset says where to start in an album, playlist, artist, "
                               "show, audiobook") &&
                   Catch::Contains("\"spotify:episode:c1\" is a single item"));
    CHECK_THAT(
        refusal_of("",
                   R"({"play":{"media_id":"spotify:episode:e1","offset":"spotify:episode:e1"}})"),
        Catch::Contains("is a single item"));
    CHECK_THAT(
        refusal_of("", R"({"play":{"uri":"spotify:show:s1","offset":"spotify:audiobook:b1"}})"),
        Catch::Contains("play.offset must be a track, episode or chapter; "
                        "\"spotify:audiobook:b1\" is an audiobook link"));
    CHECK_THAT(refusal_of("", R"({"play":{"uris":["spotify:episode:e1","spotify:show:s1"]}})"),
               Catch::Contains("play.uris[1] must be a track, episode or chapter; "
                               "\"spotify:show:s1\" is a show link"));
    CHECK_THAT(refusal_of("playlist", "spotify:chapter:c1"),
               Catch::Contains("use play for albums, artists, shows, audiobooks, tracks, "
                               "episodes, chapters, Liked Songs and Your Episodes") &&
                   Catch::Contains("is a chapter link"));
    CHECK_THAT(refusal_of("playlist", "https://open.spotify.com/collection/episodes"),
               Catch::Contains("is a Your Episodes link"));
    CHECK_THAT(refusal_of("queue", "spotify:audiobook:b1"),
               Catch::Contains("queue must be a track, episode or chapter; "
                               "\"spotify:audiobook:b1\" is an audiobook link"));
    CHECK_THAT(refusal_of("play", "your episodes"),
               Catch::Contains("\"liked\" or \"your_episodes\"; \"your episodes\" is not one"));
    CHECK_THAT(refusal_of("play", "spotify:podcast:abc"),
               Catch::Contains("not one of track, episode, album, playlist, artist, show, "
                               "audiobook or chapter"));
}

TEST_CASE("Your Episodes plays the user's collection, read with the profile first",
          "[command_plan][spoken_word]") {
    CommandSet c;
    c.play = PlayTarget{.your_episodes = true, .offset = PlayOffset{.position = 2}};
    AccountKnowledge k;
    k.state = PlaybackState{};
    Device speaker;
    speaker.id = "speaker";
    speaker.name = "Speaker";
    speaker.supports_volume = true;
    k.devices = std::vector<Device>{speaker};
    k.fresh_state = k.fresh_devices = true;
    CHECK(std::get<Refresh>(plan_commands(c, k)) == Refresh::Profile);
    k.user_id = "alice";
    auto outcome = plan_commands(c, k);
    REQUIRE(std::holds_alternative<CommandPlan>(outcome));
    const auto& calls = std::get<CommandPlan>(outcome).calls;
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].method == "PUT");
    CHECK(calls[0].path == "/me/player/play?device_id=speaker");
    CHECK(calls[0].body == json{{"context_uri", "spotify:user:alice:collection:your-episodes"},
                                {"offset", {{"position", 2}}}});
}

TEST_CASE("a chapter in its audiobook maps to the documented state payload",
          "[spotify_json][spoken_word]") {
    auto state = parse_player(200, read_fixture("spotify/player_chapter.json"), kSpokenReadAt);
    REQUIRE(state.ok());
    json payload = state_payload(state.value());
    CHECK(payload == fixture_json("golden/state_player_chapter.json"));
    CHECK(media_player_states(payload)["mediatype"] == "podcast");
    CHECK(media_player_states(payload)["artist"] == "Bram Stoker");
    CHECK(media_player_states(payload)["album"] == "Dracula");
    // The audiobook's name comes from get-an-audiobook (not deprecated), as a show's does.
    REQUIRE(endpoint::get_context("spotify:audiobook:" + kBookId));
    CHECK(endpoint::get_context("spotify:audiobook:" + kBookId)->path == "/audiobooks/" + kBookId);
    CHECK_FALSE(endpoint::get_context("spotify:user:alice:collection:your-episodes"));
}

TEST_CASE("the same episode outside an audiobook stays an episode", "[spotify_json][spoken_word]") {
    json body = fixture_json("spotify/player_chapter.json");
    body["context"] = nullptr;
    auto state = parse_player(200, body.dump(), kSpokenReadAt);
    REQUIRE(state.ok());
    CHECK(state->track->type == "episode");
    CHECK(state->track->artists == std::vector<std::string>{"Bram Stoker"});
    CHECK(state->track->album_art == "https://i.scdn.co/image/dracula640");
}

TEST_CASE("a chapter object or a chapter URI is read as a chapter with its authors",
          "[spotify_json][spoken_word]") {
    json body = fixture_json("spotify/player_chapter.json");
    json& item = body["item"];
    item.erase("show");
    item["uri"] = "spotify:chapter:" + kBookId;
    item["images"] = json::array({{{"url", "https://i.scdn.co/image/ch2"}}});
    item["audiobook"] = {{"name", "Dracula"},
                         {"authors", json::array({{{"name", "Bram Stoker"}}, {{"name", "Ed. A"}}})},
                         {"publisher", "Classic Audio"},
                         {"images", json::array({{{"url", "https://i.scdn.co/image/book"}}})}};
    body["context"] = nullptr;
    auto state = parse_player(200, body.dump(), kSpokenReadAt);
    REQUIRE(state.ok());
    CHECK(state->track->type == "chapter");
    CHECK(state->track->artists == std::vector<std::string>{"Bram Stoker", "Ed. A"});
    CHECK(state->track->album == "Dracula");
    CHECK(state->track->album_art == "https://i.scdn.co/image/ch2");

    item["audiobook"]["authors"] = json::array();  // no authors: the publisher stands in
    state = parse_player(200, body.dump(), kSpokenReadAt);
    REQUIRE(state.ok());
    CHECK(state->track->artists == std::vector<std::string>{"Classic Audio"});
    item["audiobook"]["authors"] = json::array({7});
    CHECK(parse_player(200, body.dump(), kSpokenReadAt).error().kind == ErrorKind::BadResponse);
}

TEST_CASE("Your Episodes is a collection context named Your Episodes",
          "[spotify_json][spoken_word]") {
    json body = fixture_json("spotify/player_episode.json");
    body["context"] = {{"type", "collection"},
                       {"href", "https://api.spotify.com/v1/me/episodes"},
                       {"uri", "spotify:user:alice:collection:your-episodes"}};
    auto state = parse_player(200, body.dump(), kSpokenReadAt);
    REQUIRE(state.ok());
    json payload = state_payload(state.value());
    CHECK(payload["context"] == json{{"uri", "spotify:user:alice:collection:your-episodes"},
                                     {"type", "collection"},
                                     {"name", "Your Episodes"}});
    CHECK(payload["track"]["type"] == "episode");
    CHECK(media_player_states(payload)["mediatype"] == "podcast");
}
