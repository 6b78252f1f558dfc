// Tests of fake_spotify's listening endpoints and scope checks (tests/fakes/fake_spotify/
// ListeningApi.h, ScopeCheck.h): the bridge's listening tests rely on the fake answering as the
// reference says, and refusing with 403 what a token's scopes do not allow, as Spotify does.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <string>

#include "support/FakeSpotifyClient.h"
#include "support/Paths.h"

using namespace s2m::test;
using nlohmann::json;

namespace fake_listening {

// RFC 7636 Appendix B.
const std::string kPkceVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const std::string kPkceChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

// An access token for alice of the default app with exactly `scope`.
std::string token_with(const FakeSpotifyProcess& fake, const FakeSpotifyClient& spotify,
                       const std::string& scope) {
    std::string code = spotify
                           .authorize({{"user", "alice"},
                                       {"client_id", "fake-client-id"},
                                       {"redirect_uri", "http://127.0.0.1:8888/callback"},
                                       {"state", "st"},
                                       {"scope", scope},
                                       {"code_challenge", kPkceChallenge}})
                           .at("code")
                           .get<std::string>();
    httplib::Client client(fake.base_url());
    client.set_basic_auth("fake-client-id", "fake-client-secret");
    auto answer = client.Post("/api/token",
                              httplib::Params{{"grant_type", "authorization_code"},
                                              {"code", code},
                                              {"redirect_uri", "http://127.0.0.1:8888/callback"},
                                              {"code_verifier", kPkceVerifier}});
    REQUIRE(answer);
    REQUIRE(answer->status == 200);
    return json::parse(answer->body).at("access_token").get<std::string>();
}

struct Answer {
    int status = 0;
    json body;
};

Answer get(const FakeSpotifyProcess& fake, const std::string& token, const std::string& path) {
    httplib::Client client(fake.base_url());
    auto result = client.Get(path, {{"Authorization", "Bearer " + token}});
    REQUIRE(result);
    return {result->status, json::parse(result->body, nullptr, false)};
}

}  // namespace fake_listening

using namespace fake_listening;

TEST_CASE("fake listening endpoints answer per the reference and check the token's scopes",
          "[fake]") {
    FakeSpotifyProcess fake;
    FakeSpotifyClient spotify(fake.base_url());
    json plays = json::array();
    for (int i = 0; i < 5; ++i)  // newest first, a minute apart
        plays.push_back({{"uri", "spotify:track:play" + std::to_string(i)},
                         {"played_at_ms", 1765004400000 - i * 60000}});
    spotify.create_user({{"id", "alice"},
                         {"recently_played", plays},
                         {"top_tracks", {"spotify:track:top1", "spotify:track:top2"}}});

    // A token without the scopes: 403 in Spotify's words, for every endpoint behind them.
    const std::string narrow = token_with(fake, spotify, "user-read-private");
    const json refused =
        json::parse(R"({"error":{"status":403,"message":"Insufficient client scope"}})");
    for (const char* path :
         {"/v1/me/player/recently-played", "/v1/me/top/tracks", "/v1/me/top/artists",
          "/v1/me/library/contains?uris=spotify:track:a"}) {
        INFO(path);
        Answer answer = get(fake, narrow, path);
        CHECK(answer.status == 403);
        CHECK(answer.body == refused);
    }

    const std::string full =
        token_with(fake, spotify, "user-read-recently-played user-top-read user-library-read");
    Answer recent = get(fake, full, "/v1/me/player/recently-played?limit=2");
    REQUIRE(recent.status == 200);
    REQUIRE(recent.body["items"].size() == 2);
    CHECK(recent.body["items"][0]["track"]["uri"] == "spotify:track:play0");
    CHECK(recent.body["items"][0]["played_at"] == "2025-12-06T07:00:00.000Z");
    CHECK(recent.body["items"][1]["played_at"] == "2025-12-06T06:59:00.000Z");
    CHECK(recent.body["cursors"] == json{{"after", "1765004400000"}, {"before", "1765004340000"}});
    CHECK(recent.body["limit"] == 2);
    REQUIRE(recent.body["next"].is_string());
    // `before` pages back, `after` towards now; never both.
    Answer older = get(fake, full, "/v1/me/player/recently-played?limit=2&before=1765004340000");
    REQUIRE(older.body["items"].size() == 2);
    CHECK(older.body["items"][0]["track"]["uri"] == "spotify:track:play2");
    Answer newer = get(fake, full, "/v1/me/player/recently-played?limit=10&after=1765004220000");
    REQUIRE(newer.body["items"].size() == 3);
    CHECK(newer.body["items"][0]["track"]["uri"] == "spotify:track:play0");
    CHECK(get(fake, full, "/v1/me/player/recently-played?after=1&before=2").status == 400);
    CHECK(get(fake, full, "/v1/me/player/recently-played?limit=51").status == 400);

    Answer tracks = get(fake, full, "/v1/me/top/tracks?time_range=short_term&limit=1&offset=1");
    REQUIRE(tracks.status == 200);
    CHECK(tracks.body["total"] == 2);
    CHECK(tracks.body["offset"] == 1);
    REQUIRE(tracks.body["items"].size() == 1);
    CHECK(tracks.body["items"][0]["uri"] == "spotify:track:top2");
    Answer artists = get(fake, full, "/v1/me/top/artists?time_range=long_term");
    REQUIRE(artists.status == 200);
    REQUIRE_FALSE(artists.body["items"].empty());
    CHECK(artists.body["items"][0]["type"] == "artist");
    CHECK(get(fake, full, "/v1/me/top/tracks?time_range=forever").status == 400);
}
