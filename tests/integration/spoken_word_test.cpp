// Podcasts and audiobooks through the real binary (docs/mqtt-commands.md#play,
// docs/mqtt.md#account-state): every form of `play` for Your Episodes, shows, episodes,
// audiobooks and chapters makes exactly the reference's call, the state topic and Home
// Assistant's media player then report the episode or chapter, and bad inputs get one clear
// error and no write. And the fake's podcast and audiobook endpoints, answering as the
// reference does (additional_types included).
#include <httplib.h>

#include "CommandWorld.h"

using namespace s2m::test;

namespace {

const std::string kPlay = "/v1/me/player/play";

Json podcast_user() {
    Json user = short_playlist_user("alice", 120000);
    user["saved_episodes"] = {"spotify:episode:fakeEpisode2", "spotify:episode:fakeEpisode1"};
    return user;
}

// One ok response and exactly one PUT /me/player/play with `body`.
void check_play(const CommandResult& result, const Json& body) {
    INFO(describe(result));
    REQUIRE(result.response);
    CHECK((*result.response)["status"] == "ok");
    CHECK(result.responses == 1);
    REQUIRE(result.calls.size() == 1);
    CHECK(result.calls[0].method == "PUT");
    CHECK(result.calls[0].path == kPlay);
    CHECK(result.calls[0].body == body);
}

// The fake's Web API as any client sees it: a token from the refresh grant, then GETs.
struct ApiClient {
    httplib::Client http;
    std::string token;

    explicit ApiClient(const std::string& base) : http(base) {
        http.set_read_timeout(10, 0);
        httplib::Client accounts(base);
        accounts.set_basic_auth("fake-client-id", "fake-client-secret");
        auto answer = accounts.Post("/api/token", httplib::Params{{"grant_type", "refresh_token"},
                                                                  {"refresh_token", "rt-alice"}});
        REQUIRE(answer);
        REQUIRE(answer->status == 200);
        token = Json::parse(answer->body)["access_token"];
    }

    std::pair<int, Json> get(const std::string& path) {
        auto answer = http.Get(path, httplib::Headers{{"Authorization", "Bearer " + token}});
        REQUIRE(answer);
        return {answer->status, Json::parse(answer->body, nullptr, false)};
    }
};

}  // namespace

TEST_CASE("play Your Episodes, shows, episodes, audiobooks and chapters, the state follows",
          "[spoken_word]") {
    CommandWorld world(podcast_user(), "alice", Json{{"homeassistant", {{"media_player", true}}}});
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(world.bridge_log());

    check_play(world.send("set/play", "your_episodes"),
               {{"context_uri", "spotify:user:alice:collection:your-episodes"}});
    CHECK(world.wait_state("alice", [](const Json& s) {
        return s["context"] == Json{{"uri", "spotify:user:alice:collection:your-episodes"},
                                    {"type", "collection"},
                                    {"name", "Your Episodes"}} &&
               s["track"]["uri"] == "spotify:episode:fakeEpisode2" &&
               s["track"]["type"] == "episode" && s["track"]["album"] == "The Fake Podcast" &&
               s["track"]["artists"] == Json{"Fake Media"} &&
               s["track"]["album_art"].get<std::string>().ends_with("/image/fakeShow1");
    }));
    CHECK(world.probe.wait_for(
        "spotify2mqtt/alice/media/mediatype", [](const std::string& p) { return p == "podcast"; },
        10s));

    check_play(world.set({{"play",
                           {{"uri", "https://open.spotify.com/intl-de/show/fakeShow1?si=a1b2"},
                            {"offset", 1}}}}),
               {{"context_uri", "spotify:show:fakeShow1"}, {"offset", {{"position", 1}}}});
    CHECK(world.wait_state("alice", [](const Json& s) {
        return s["track"]["uri"] == "spotify:episode:fakeEpisode2" &&
               s["context"]["type"] == "show" && s["context"]["name"] == "The Fake Podcast";
    }));

    check_play(world.send("set/play", "open.spotify.com/episode/fakeEpisode1?si=x"),
               {{"uris", {"spotify:episode:fakeEpisode1"}}});
    CHECK(world.wait_state("alice", [](const Json& s) {
        return s["track"]["uri"] == "spotify:episode:fakeEpisode1" && s["context"].is_null();
    }));

    check_play(world.set({{"play",
                           {{"media_id", "https://open.spotify.com/intl-en/audiobook/fakeBook1"},
                            {"media_type", "audiobook"},
                            {"offset", "https://open.spotify.com/chapter/fakeChapter2?si=q"}}}}),
               {{"context_uri", "spotify:audiobook:fakeBook1"},
                {"offset", {{"uri", "spotify:episode:fakeChapter2"}}}});
    CHECK(world.wait_state("alice", [](const Json& s) {
        return s["track"]["uri"] == "spotify:episode:fakeChapter2" &&
               s["track"]["type"] == "chapter" &&
               s["track"]["name"] == "Chapter 1: The Fake Beginning" &&
               s["track"]["artists"] == Json{"Ada Author"} &&
               s["track"]["album"] == "The Fake Novel" && s["context"]["type"] == "audiobook" &&
               s["context"]["name"] == "The Fake Novel";
    }));
    CHECK(world.probe.wait_for(
        "spotify2mqtt/alice/media/artist", [](const std::string& p) { return p == "Ada Author"; },
        10s));

    check_play(world.send("set/play", "spotify:chapter:fakeChapter3"),
               {{"uris", {"spotify:episode:fakeChapter3"}}});
    CHECK(world.wait_state("alice", [](const Json& s) {
        return s["track"]["name"] == "Chapter 2: Mocks and Stubs" && s["context"].is_null();
    }));

    CommandResult queued = world.send("set/queue", "https://open.spotify.com/chapter/fakeChapter1");
    INFO(describe(queued));
    REQUIRE(queued.calls.size() == 1);
    CHECK(queued.calls[0].path == "/v1/me/player/queue");
    CHECK(queued.calls[0].query ==
          std::map<std::string, std::string>{{"uri", "spotify:episode:fakeChapter1"}});

    SECTION("bad inputs: one clear error each, and no write to Spotify") {
        const std::vector<std::pair<std::string, std::string>> bad = {
            {"set", R"({"play":{"uri":"spotify:chapter:fakeChapter1","offset":1}})"},
            {"set", R"({"play":{"uri":"spotify:show:fakeShow1","offset":"spotify:show:x"}})"},
            {"set/playlist", "spotify:audiobook:fakeBook1"},
            {"set/queue", "https://open.spotify.com/intl-de/audiobook/fakeBook1"},
            {"set/play", "spotify:user:alice:collection:podcasts"},
            {"set/play", "your episodes"},
        };
        for (const auto& [suffix, payload] : bad) {
            CommandResult result = world.send(suffix, payload);
            INFO(suffix << " <- " << payload << "\n" << describe(result));
            REQUIRE(result.response);
            CHECK((*result.response)["reason"] == "INVALID_PAYLOAD");
            CHECK(result.responses == 1);
            CHECK(result.calls.empty());
        }
    }
}

TEST_CASE("the fake serves shows, episodes, audiobooks and chapters as the reference does",
          "[spoken_word][fake]") {
    FakeSpotifyProcess fake_process;
    FakeSpotifyClient fake{fake_process.base_url()};
    fake.create_user(podcast_user());
    fake.set_playback("alice", {{"context_uri", "spotify:audiobook:fakeBook1"},
                                {"track_uri", "spotify:episode:fakeChapter2"}});
    ApiClient api(fake_process.base_url());

    // A chapter plays as an episode: hidden without additional_types=episode, as Spotify does.
    for (const std::string path : {"/v1/me/player", "/v1/me/player/currently-playing"}) {
        auto [status, plain] = api.get(path);
        CHECK(status == 200);
        CHECK(plain["item"].is_null());
        CHECK(plain["currently_playing_type"] == "episode");
        Json full = api.get(path + "?additional_types=track,episode").second;
        CHECK(full["item"]["type"] == "episode");
        CHECK(full["item"]["uri"] == "spotify:episode:fakeChapter2");
        CHECK(full["item"]["show"]["name"] == "The Fake Novel");
        CHECK(full["item"]["show"]["publisher"] == "Ada Author");
        CHECK(full["context"]["uri"] == "spotify:audiobook:fakeBook1");
        CHECK(full["context"]["type"] == "audiobook");
    }

    auto [chapter_status, chapter] = api.get("/v1/chapters/fakeChapter2");
    CHECK(chapter_status == 200);
    CHECK(chapter["type"] == "episode");
    CHECK(chapter["chapter_number"] == 2);
    CHECK(chapter["audiobook"]["authors"] == Json::array({{{"name", "Ada Author"}}}));
    CHECK(chapter["audiobook"]["total_chapters"] == 3);
    Json book = api.get("/v1/audiobooks/fakeBook1").second;
    CHECK(book["uri"] == "spotify:audiobook:fakeBook1");
    CHECK(book["chapters"]["total"] == 3);
    Json page = api.get("/v1/audiobooks/fakeBook1/chapters?limit=2&offset=1").second;
    CHECK(page["items"].size() == 2);
    CHECK(page["items"][1]["id"] == "fakeChapter3");
    CHECK(page["next"].is_null());
    CHECK(page["previous"].get<std::string>().ends_with(
        "/v1/audiobooks/fakeBook1/chapters?offset=0&limit=2"));
    Json show = api.get("/v1/shows/fakeShow1").second;
    CHECK(show["publisher"] == "Fake Media");
    CHECK(show["episodes"]["items"].size() == 2);
    CHECK_FALSE(show["episodes"]["items"][0].contains("show"));
    Json saved = api.get("/v1/me/episodes?limit=1").second;
    CHECK(saved["total"] == 2);
    CHECK(saved["items"][0]["episode"]["uri"] == "spotify:episode:fakeEpisode2");
    CHECK(saved["next"].is_string());
    CHECK(api.get("/v1/episodes/fakeEpisode1").second["show"]["id"] == "fakeShow1");
    CHECK(api.get("/v1/audiobooks/nope").first == 404);
    CHECK(api.get("/v1/chapters/fakeEpisode1").first == 404);
    CHECK(api.get("/v1/shows/bad!id").first == 400);
    CHECK(api.get("/v1/me/episodes?limit=51").first == 400);
}
