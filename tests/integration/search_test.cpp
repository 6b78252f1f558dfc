// Search and play by name (docs/mqtt-commands.md#search, docs/mqtt.md#search) through the real
// binary and the fake Spotify's catalogue: each form makes exactly one GET /v1/search with the
// reference's parameters, then plays the choice; nothing found and bad input answer once, with no
// write to Spotify (and bad input with no call at all).
#include "CommandWorld.h"

using namespace s2m::test;

namespace {

// A logged request of the fake, with its query decoded.
struct Logged {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;
    Json body;
};

std::vector<Logged> calls_since(const CommandWorld& world, int64_t since) {
    std::vector<Logged> calls;
    for (const Json& entry : world.fake.requests(since)) {
        std::string path = entry["path"];
        if (path == "/api/token") continue;
        // Reads the bridge makes anyway (its polls) are not the search's.
        if (entry["method"] == "GET" && path != "/v1/search") continue;
        Logged call{entry["method"], path, {}, Json()};
        if (auto query = s2m::parse_query(entry["query"].get<std::string>()))
            for (auto& [k, v] : *query) call.query[k] = v;
        std::string body = entry["body"];
        if (!body.empty()) call.body = Json::parse(body, nullptr, false);
        calls.push_back(std::move(call));
    }
    return calls;
}

std::string describe(const std::vector<Logged>& calls) {
    std::string text;
    for (const auto& c : calls) {
        text += "\n  " + c.method + " " + c.path;
        for (const auto& [k, v] : c.query) text += " " + k + "=" + v;
        if (!c.body.is_null()) text += " " + c.body.dump();
    }
    return text;
}

// Sends on <base>/alice/<suffix>, waits for the one response and the fake's calls.
std::pair<Json, std::vector<Logged>> command(CommandWorld& world, const std::string& suffix,
                                             const std::string& payload) {
    int64_t since = world.fake.last_seq();
    world.probe.clear();
    world.probe.publish(world.topic(suffix), payload, 1);
    auto response = world.probe.wait_for(world.topic("response"), nullptr, 10s);
    REQUIRE(response);
    return {response->json(), calls_since(world, since)};
}

std::pair<Json, std::vector<Logged>> request(CommandWorld& world, const Json& payload) {
    int64_t since = world.fake.last_seq();
    world.probe.clear();
    world.probe.publish("spotify2mqtt/bridge/request/search", payload.dump(), 1);
    auto response = world.probe.wait_for("spotify2mqtt/bridge/response/search", nullptr, 10s);
    REQUIRE(response);
    return {response->json(), calls_since(world, since)};
}

const std::string kArtists = "artist,playlist,album,show,track";

}  // namespace

TEST_CASE("play by name in both forms searches once and plays what the choice rule picks",
          "[search]") {
    CommandWorld world(short_playlist_user("alice", 120000));
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(world.bridge_log());

    struct Case {
        std::string suffix;
        std::string payload;
        std::map<std::string, std::string> search;      // the query of GET /v1/search
        std::map<std::string, std::string> play_query;  // of PUT /v1/me/player/play
        Json body;
        Json played;
    };
    const std::vector<Case> cases = {
        // An artist, an album and a track share the name: the artist.
        {"set/search",
         "Bad Company",
         {{"q", "Bad Company"}, {"type", kArtists}, {"limit", "10"}, {"offset", "0"}},
         {},
         {{"context_uri", "spotify:artist:0hSsjcSQuc3p6JNxDXWr9v"}},
         {{"uri", "spotify:artist:0hSsjcSQuc3p6JNxDXWr9v"},
          {"name", "Bad Company"},
          {"type", "artist"}}},
        // With the type: the first playlist that is not null (a removed one is listed first).
        {"set",
         R"({"play":{"search":"Chill Vibes","type":"playlist"},"device":"Fake Speaker"})",
         {{"q", "Chill Vibes"}, {"type", "playlist"}, {"limit", "10"}, {"offset", "0"}},
         {},
         {{"context_uri", "spotify:playlist:37i9dQZF1DX4chillVibes1"}},
         {{"uri", "spotify:playlist:37i9dQZF1DX4chillVibes1"},
          {"name", "Chill Vibes"},
          {"type", "playlist"}}},
        // With a type, its first result, on the device named in play (the phone).
        {"set",
         R"({"play":{"search":"Bad Company","type":"track","device":"Fake Phone"}})",
         {{"q", "Bad Company"}, {"type", "track"}, {"limit", "10"}, {"offset", "0"}},
         {{"device_id", "fake-device-phone"}},
         {{"uris", {"spotify:track:6hjZJrVUJfyzT2uTCLAWbt"}}},
         {{"uri", "spotify:track:6hjZJrVUJfyzT2uTCLAWbt"},
          {"name", "Bad Company"},
          {"type", "track"}}},
        // Written without the accent and in other case: the album whose name matches ignoring
        // case beats the playlist "Café del Mar".
        {"set",
         R"({"search":"cafe del mar"})",
         {{"q", "cafe del mar"}, {"type", kArtists}, {"limit", "10"}, {"offset", "0"}},
         {},
         {{"context_uri", "spotify:album:0cafeDelMarAlbum00000001"}},
         {{"uri", "spotify:album:0cafeDelMarAlbum00000001"},
          {"name", "Cafe Del Mar"},
          {"type", "album"}}},
        // A voice assistant's "beyonce": the artist Beyoncé, on the message's device (back to
        // the speaker).
        {"set",
         R"({"search":"beyonce","device":"Fake Speaker"})",
         {{"q", "beyonce"}, {"type", kArtists}, {"limit", "10"}, {"offset", "0"}},
         {{"device_id", "fake-device-speaker"}},
         {{"context_uri", "spotify:artist:6vWDO969PvNqNYHIOW5v0m"}},
         {{"uri", "spotify:artist:6vWDO969PvNqNYHIOW5v0m"},
          {"name", "Beyoncé"},
          {"type", "artist"}}},
        // Album, playlist and show share the name (and a removed playlist is listed as null):
        // the playlist; with the show: prefix, the show.
        {"set",
         R"({"play":{"search":"Chill Vibes"}})",
         {{"q", "Chill Vibes"}, {"type", kArtists}, {"limit", "10"}, {"offset", "0"}},
         {},
         {{"context_uri", "spotify:playlist:37i9dQZF1DX4chillVibes1"}},
         {{"uri", "spotify:playlist:37i9dQZF1DX4chillVibes1"},
          {"name", "Chill Vibes"},
          {"type", "playlist"}}},
        {"set/search",
         "show: chill vibes",
         {{"q", "chill vibes"}, {"type", "show"}, {"limit", "10"}, {"offset", "0"}},
         {},
         {{"context_uri", "spotify:show:6chillVibesShow000000001"}},
         {{"uri", "spotify:show:6chillVibesShow000000001"},
          {"name", "Chill Vibes"},
          {"type", "show"}}},
        // An audiobook found by name plays as a context, its first chapter reported as one.
        {"set/search",
         "audiobook:project hail mary",
         {{"q", "project hail mary"}, {"type", "audiobook"}, {"limit", "10"}, {"offset", "0"}},
         {},
         {{"context_uri", "spotify:audiobook:7iHfbu1YPACw6oZPAFJtqe"}},
         {{"uri", "spotify:audiobook:7iHfbu1YPACw6oZPAFJtqe"},
          {"name", "Project Hail Mary"},
          {"type", "audiobook"}}},
    };
    for (const Case& c : cases) {
        INFO(c.suffix << " <- " << c.payload);
        auto [response, calls] = command(world, c.suffix, c.payload);
        INFO(response.dump() << describe(calls));
        CHECK(response["status"] == "ok");
        CHECK(response["data"]["played"] == c.played);
        REQUIRE(calls.size() == 2);
        CHECK(calls[0].method == "GET");
        CHECK(calls[0].path == "/v1/search");
        CHECK(calls[0].query == c.search);
        CHECK(calls[1].method == "PUT");
        CHECK(calls[1].path == "/v1/me/player/play");
        CHECK(calls[1].query == c.play_query);
        CHECK(calls[1].body == c.body);
        Json wanted = c.played["uri"];
        bool item = c.played["type"] == "track";
        CHECK(world.wait_state("alice", [&](const Json& s) {
            if (item) return s["track"]["uri"] == wanted;
            bool chapter = c.played["type"] != "audiobook" || s["track"]["type"] == "chapter";
            return s["context"].is_object() && s["context"]["uri"] == wanted && chapter;
        }));
    }
}

TEST_CASE("play by name: nothing found is NOT_FOUND, bad input is refused, neither writes",
          "[search]") {
    CommandWorld world(short_playlist_user("alice", 120000));
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "playing"; }));
    auto [missing, searched] = command(world, "set/search", "zzqx nowhere");
    INFO(missing.dump() << describe(searched));
    CHECK(missing["status"] == "error");
    CHECK(missing["reason"] == "NOT_FOUND");
    CHECK(missing["error"] ==
          "Spotify found nothing for \"zzqx nowhere\", so nothing was played. "
          "Check the spelling, or search with another type.");
    CHECK_FALSE(missing.contains("data"));
    REQUIRE(searched.size() == 1);  // the search, and no play call
    CHECK(searched[0].path == "/v1/search");

    const std::vector<std::pair<std::string, std::string>> bad = {
        {"set/search", "album:"},
        {"set", R"({"play":{"search":"x","type":"song"}})"},
        {"set", R"({"search":"x","playlist":"Quick ones"})"},
        {"set", R"({"play":{"search":"x","uri":"spotify:track:6hjZJrVUJfyzT2uTCLAWbt"}})"},
    };
    for (const auto& [suffix, payload] : bad) {
        INFO(suffix << " <- " << payload);
        auto [response, calls] = command(world, suffix, payload);
        INFO(response.dump() << describe(calls));
        CHECK(response["reason"] == "INVALID_PAYLOAD");
        CHECK(calls.empty());
    }
    CHECK(world.probe.messages(world.topic("response")).size() == 1);  // the last one, once
}

TEST_CASE("bridge/request/search answers compact entries of the types asked, page by page",
          "[search]") {
    CommandWorld world(short_playlist_user("alice", 120000));
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(world.bridge_log());
    auto [found, calls] = request(world, {{"account", "alice"},
                                          {"query", "chill vibes"},
                                          {"types", {"playlist", "album", "show", "audiobook"}},
                                          {"limit", 2},
                                          {"transaction", "s1"}});
    INFO(found.dump() << describe(calls));
    CHECK(found == Json::parse(R"({"status":"ok","transaction":"s1","data":{
        "playlists":[{"uri":"spotify:playlist:37i9dQZF1DX4chillVibes1","name":"Chill Vibes","owner":"Spotify"}],
        "albums":[{"uri":"spotify:album:1chillVibesAlbum00000001","name":"Chill Vibes","artists":["Lo-Fi Collective"]}],
        "shows":[{"uri":"spotify:show:6chillVibesShow000000001","name":"Chill Vibes","publisher":"Calm Radio"}],
        "audiobooks":[{"uri":"spotify:audiobook:1chillVibesAudiobook0001","name":"Chill Vibes: A Guide to Calm",
                       "authors":["Mara Lind"],"publisher":"Calm Press"}]}})"));
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].query ==
          std::map<std::string, std::string>{{"q", "chill vibes"},
                                             {"type", "playlist,album,show,audiobook"},
                                             {"limit", "2"},
                                             {"offset", "0"}});
    // The second page of Daft Punk's tracks; episodes of a show by its name.
    auto [page, paged] = request(world, {{"account", "alice"},
                                         {"query", "Daft Punk"},
                                         {"types", "track"},
                                         {"limit", 1},
                                         {"offset", 1}});
    INFO(page.dump());
    CHECK(page["data"] == Json::parse(R"({"tracks":[{"uri":"spotify:track:1pKYYY0dkg23sQQXi0Q5zN",
        "name":"Around the World","artists":["Daft Punk"]}]})"));
    REQUIRE(paged.size() == 1);
    CHECK(paged[0].query.at("offset") == "1");

    // Each mistake: one error naming it, and no call to Spotify.
    const std::vector<std::pair<Json, std::string>> bad = {
        {{{"query", "x"}}, "INVALID_PAYLOAD"},
        {{{"account", "bob"}, {"query", "x"}}, "UNKNOWN_ACCOUNT"},
        {{{"account", "alice"}, {"query", " "}}, "INVALID_PAYLOAD"},
        {{{"account", "alice"}, {"query", "x"}, {"types", {"song"}}}, "INVALID_PAYLOAD"},
        {{{"account", "alice"}, {"query", "x"}, {"limit", 11}}, "INVALID_PAYLOAD"},
        {{{"account", "alice"}, {"query", "x"}, {"limit", 0}}, "INVALID_PAYLOAD"},
        {{{"account", "alice"}, {"query", "x"}, {"offset", -5}}, "INVALID_PAYLOAD"},
        {"not an object", "INVALID_PAYLOAD"},
    };
    for (const auto& [payload, reason] : bad) {
        INFO(payload.dump());
        auto [answer, none] = request(world, payload);
        INFO(answer.dump() << describe(none));
        CHECK(answer["status"] == "error");
        CHECK(answer["reason"] == reason);
        CHECK(answer["error"].get<std::string>().size() > 15);
        CHECK(none.empty());
    }
}
