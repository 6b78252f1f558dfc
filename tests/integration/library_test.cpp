// bridge/request/library (docs/mqtt.md#library) through the real binary and the fake Spotify:
// each type is one exact call of the reference's endpoint (followed artists walk the `after`
// cursor up to the offset), a bad request is refused before any call, and an account linked
// before the bridge asked for user-follow-read gets MISSING_SCOPE for artists, and only there.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>

#include "BridgeWorld.h"
#include "core/Scopes.h"

using namespace s2m::test;

namespace {

const std::vector<std::string> kLibraryPaths = {"/v1/me/tracks",     "/v1/me/albums",
                                                "/v1/me/shows",      "/v1/me/episodes",
                                                "/v1/me/audiobooks", "/v1/me/following"};

std::string library_numbered(const char* prefix, int n) {
    char text[48];
    std::snprintf(text, sizeof text, "%s%02d", prefix, n);
    return text;
}

Json library_user(const std::string& id, const std::optional<std::string>& scope) {
    Json liked = Json::array();
    for (int i = 1; i <= 25; ++i)
        liked.push_back("spotify:track:" + library_numbered("libTrack", i));
    Json library = {"spotify:album:fakeAlbum1", "spotify:album:fakeAlbum2",
                    "spotify:show:fakeShow1", "spotify:audiobook:fakeBook1"};
    for (int i = 1; i <= 55; ++i)
        library.push_back("spotify:artist:" + library_numbered("libArtist", i));
    Json user = {
        {"id", id},
        {"refresh_token", "rt-" + id},
        {"liked", liked},
        {"saved_episodes", {"spotify:episode:fakeEpisode2", "spotify:episode:fakeEpisode1"}},
        {"library", library}};
    if (scope) user["scope"] = *scope;  // else the fake's: everything the bridge asks for
    return user;
}

// "path?query" of every library listing the fake received since `since`.
std::vector<std::string> library_calls(const FakeSpotifyClient& fake, int64_t since) {
    std::vector<std::string> calls;
    for (const Json& entry : fake.requests(since)) {
        std::string path = entry["path"];
        if (std::find(kLibraryPaths.begin(), kLibraryPaths.end(), path) == kLibraryPaths.end())
            continue;
        std::string query = entry["query"];
        calls.push_back(entry["method"].get<std::string>() + " " + path +
                        (query.empty() ? "" : "?" + query));
    }
    return calls;
}

struct LibraryAnswer {
    Json response;
    std::vector<std::string> calls;
};

LibraryAnswer ask_library(BridgeWorld& world, const Json& request) {
    int64_t since = world.fake.last_seq();
    world.probe.clear();
    world.probe.publish("spotify2mqtt/bridge/request/library", request.dump(), 1);
    auto response = world.probe.wait_for("spotify2mqtt/bridge/response/library", nullptr, 10s);
    REQUIRE(response);
    return {response->json(), library_calls(world.fake, since)};
}

}  // namespace

TEST_CASE("the library request lists each type with one exact call and pages", "[library]") {
    BridgeWorld world;
    world.fake.create_user(library_user("libby", std::nullopt));
    // Linked before the bridge asked for user-follow-read.
    std::string old_scope;
    for (const std::string& scope : s2m::scopes_before_2026_12())
        old_scope += (old_scope.empty() ? "" : " ") + scope;
    world.fake.create_user(library_user("olga", old_scope));
    world.start_bridge(BridgeWorld::accounts({"libby", "olga"}));
    for (const char* name : {"libby", "olga"}) {
        REQUIRE(world.probe.wait_for_json(
            std::string("spotify2mqtt/") + name + "/availability",
            [](const Json& a) { return a["state"] == "online"; }, 15s));
    }
    INFO(world.bridge_log());

    {  // each type, with the call the reference describes
        struct Case {
            std::string type;
            std::string call;
            Json first;  // the first entry
            int total;
        };
        const std::vector<Case> cases = {
            {"tracks",
             "GET /v1/me/tracks?limit=2&offset=0",
             {{"uri", "spotify:track:libTrack01"},
              {"name", "Track libTrack01"},
              {"artists", {"Unknown Artist"}},
              {"added_at", "2024-05-17T12:00:00Z"}},
             25},
            {"albums",
             "GET /v1/me/albums?limit=2&offset=0",
             {{"uri", "spotify:album:fakeAlbum1"},
              {"name", "First Light"},
              {"artists", {"The Fake Band"}},
              {"added_at", "2024-05-17T12:00:00Z"}},
             2},
            {"shows",
             "GET /v1/me/shows?limit=2&offset=0",
             {{"uri", "spotify:show:fakeShow1"},
              {"name", "The Fake Podcast"},
              {"publisher", "Fake Media"},
              {"added_at", "2024-05-17T12:00:00Z"}},
             1},
            {"episodes",
             "GET /v1/me/episodes?limit=2&offset=0",
             {{"uri", "spotify:episode:fakeEpisode2"},
              {"name", "Episode 2: Testing in Production"},
              {"added_at", "2024-05-17T12:00:00Z"}},
             2},
            {"audiobooks",
             "GET /v1/me/audiobooks?limit=2&offset=0",
             {{"uri", "spotify:audiobook:fakeBook1"},
              {"name", "The Fake Novel"},
              {"authors", {"Ada Author"}},
              {"publisher", "Fake Audio House"},
              {"added_at", "2024-05-17T12:00:00Z"}},
             1},
            {"artists",
             "GET /v1/me/following?type=artist&limit=2",
             {{"uri", "spotify:artist:libArtist01"}, {"name", "Artist libArtist01"}},
             55},
        };
        for (const Case& c : cases) {
            INFO(c.type);
            auto answer = ask_library(
                world,
                {{"account", "libby"}, {"type", c.type}, {"limit", 2}, {"transaction", c.type}});
            CHECK(answer.calls == std::vector<std::string>{c.call});
            CHECK(answer.response["status"] == "ok");
            CHECK(answer.response["transaction"] == c.type);
            const Json& data = answer.response["data"];
            CHECK(data["total"] == c.total);
            CHECK(data["offset"] == 0);
            REQUIRE(data["items"].size() == static_cast<size_t>(std::min(2, c.total)));
            CHECK(data["items"][0] == c.first);
        }
    }

    {  // paging by offset, and walking the artists' cursor to an offset
        auto tracks = ask_library(
            world, {{"account", "libby"}, {"type", "tracks"}, {"offset", 20}, {"limit", 10}});
        CHECK(tracks.calls == std::vector<std::string>{"GET /v1/me/tracks?limit=10&offset=20"});
        CHECK(tracks.response["data"]["total"] == 25);
        CHECK(tracks.response["data"]["offset"] == 20);
        REQUIRE(tracks.response["data"]["items"].size() == 5);
        CHECK(tracks.response["data"]["items"][0]["uri"] == "spotify:track:libTrack21");

        auto artists = ask_library(
            world, {{"account", "libby"}, {"type", "artists"}, {"offset", 48}, {"limit", 5}});
        CHECK(artists.calls == std::vector<std::string>{
                                   "GET /v1/me/following?type=artist&limit=50",
                                   "GET /v1/me/following?type=artist&after=libArtist50&limit=50"});
        const Json& data = artists.response["data"];
        CHECK(data["total"] == 55);
        CHECK(data["offset"] == 48);
        REQUIRE(data["items"].size() == 5);
        CHECK(data["items"][0]["uri"] == "spotify:artist:libArtist49");
        CHECK(data["items"][4]["uri"] == "spotify:artist:libArtist53");
    }

    {  // a bad request is refused with one sentence and no call
        auto unknown = ask_library(world, {{"account", "libby"}, {"type", "songs"}});
        CHECK(unknown.calls.empty());
        CHECK(unknown.response["status"] == "error");
        CHECK(unknown.response["reason"] == "INVALID_PAYLOAD");
        CHECK(unknown.response["error"] ==
              "type must be one of tracks, albums, shows, episodes, audiobooks, artists, got "
              "\"songs\"");
        auto too_many =
            ask_library(world, {{"account", "libby"}, {"type", "albums"}, {"limit", 51}});
        CHECK(too_many.calls.empty());
        CHECK(too_many.response["reason"] == "INVALID_PAYLOAD");
        CHECK(too_many.response["error"] == "limit must be a whole number from 1 to 50, got 51");
    }

    {  // an account without user-follow-read gets MISSING_SCOPE for artists only
        auto artists = ask_library(world, {{"account", "olga"}, {"type", "artists"}});
        CHECK(artists.calls.empty());
        CHECK(artists.response["reason"] == "MISSING_SCOPE");
        CHECK(artists.response["error"].get<std::string>().find("user-follow-read") !=
              std::string::npos);
        auto tracks = ask_library(world, {{"account", "olga"}, {"type", "tracks"}, {"limit", 1}});
        CHECK(tracks.response["status"] == "ok");
        CHECK(tracks.calls == std::vector<std::string>{"GET /v1/me/tracks?limit=1&offset=0"});
    }
}
