// PollJob against a scripted HttpClient (the narrow port): token refresh rules and call order.
#include <catch2/catch.hpp>

#include <deque>

#include "JobRequests.h"
#include "ScriptedHttp.h"
#include "TestSupport.h"
#include "app/PollJob.h"

using namespace s2m;
using s2m::test::ScriptedHttp;

namespace {

const int64_t kNow = 1763796600000;
const std::function<int64_t()> kClock = [] { return kNow; };

PollRequest request_with_token(int64_t expires_in_ms) {
    return s2m::test::job_request<PollRequest>("alice", kNow + expires_in_ms);
}

const std::string kGrant = R"({"access_token":"at-2","token_type":"Bearer","expires_in":3600})";
const std::string kRotated = R"({"access_token":"at-3","expires_in":3600,"refresh_token":"rt-2"})";

}  // namespace

TEST_CASE("a fresh token is used as is", "[poll_job]") {
    ScriptedHttp http;
    http.script = {{"/v1/me/player", 204, ""}};
    auto outcome = run_poll(http, request_with_token(3600 * 1000), kClock);
    REQUIRE(outcome.player);
    CHECK(outcome.player->ok());
    CHECK_FALSE(outcome.grant);
    CHECK(http.header(0, "Authorization") == "Bearer at-1");
}

TEST_CASE("a token about to expire is refreshed first, with Basic client auth", "[poll_job]") {
    ScriptedHttp http;
    http.script = {{"/api/token", 200, kGrant}, {"/v1/me/player", 204, ""}};
    auto outcome = run_poll(http, request_with_token(kRefreshAheadMs - 1), kClock);
    REQUIRE(outcome.grant);
    CHECK(outcome.grant->access_token == "at-2");
    CHECK(http.header(0, "Authorization") == "Basic Y2lkOnNlY3JldA==");  // cid:secret
    CHECK(http.seen[0].body == "grant_type=refresh_token&refresh_token=rt-1");
    CHECK(http.header(1, "Authorization") == "Bearer at-2");
}

TEST_CASE("without a client secret the refresh sends client_id (PKCE apps)", "[poll_job]") {
    ScriptedHttp http;
    http.script = {{"/api/token", 200, kGrant}, {"/v1/me/player", 204, ""}};
    auto request = request_with_token(0);
    request.spotify.client_secret.reset();
    run_poll(http, request, kClock);
    CHECK(http.header(0, "Authorization").empty());
    CHECK(http.seen[0].body == "grant_type=refresh_token&refresh_token=rt-1&client_id=cid");
}

TEST_CASE("a 401 refreshes once and retries - a second 401 is reported", "[poll_job]") {
    ScriptedHttp http;
    http.script = {
        {"/v1/me/player", 401, R"({"error":{"status":401,"message":"The access token expired"}})"},
        {"/api/token", 200, kRotated},
        {"/v1/me/player", 204, ""}};
    auto outcome = run_poll(http, request_with_token(3600 * 1000), kClock);
    REQUIRE(outcome.player->ok());
    CHECK(outcome.grant->refresh_token == "rt-2");

    ScriptedHttp again;
    again.script = {
        {"/v1/me/player", 401, ""}, {"/api/token", 200, kGrant}, {"/v1/me/player", 401, ""}};
    auto failed = run_poll(again, request_with_token(3600 * 1000), kClock);
    REQUIRE_FALSE(failed.player->ok());
    CHECK(failed.player->error().kind == ErrorKind::Unauthorized);
    CHECK(again.script.empty());
}

TEST_CASE("invalid_grant stops the run before any API call", "[poll_job]") {
    ScriptedHttp http;
    http.script = {{"/api/token", 400,
                    R"({"error":"invalid_grant","error_description":"Invalid refresh token"})"}};
    auto outcome = run_poll(http, request_with_token(0), kClock);
    REQUIRE(outcome.auth_error);
    CHECK(outcome.auth_error->kind == ErrorKind::InvalidGrant);
    CHECK_FALSE(outcome.player);
    CHECK(http.seen.size() == 1);
}

TEST_CASE("an empty or damaged stored refresh token asks for a new link without a call",
          "[poll_job][token]") {
    for (const char* stored : {"", "rt\r\nX: 1"}) {
        ScriptedHttp http;
        auto request = request_with_token(0);
        request.token.refresh_token = stored;
        auto outcome = run_poll(http, request, kClock);
        REQUIRE(outcome.auth_error);
        CHECK(outcome.auth_error->kind == ErrorKind::InvalidGrant);
        CHECK(http.seen.empty());
    }
}

TEST_CASE("a stored access token that is not token text is renewed, never sent",
          "[poll_job][token]") {
    ScriptedHttp http;
    http.script = {{"/api/token", 200, kGrant}, {"/v1/me/player", 204, ""}};
    auto request = request_with_token(3600 * 1000);
    request.token.access_token = "at-1\r\nX-Injected: 1";
    auto outcome = run_poll(http, request, kClock);
    REQUIRE(outcome.grant);
    CHECK(http.seen[0].url.find("/api/token") != std::string::npos);
    CHECK(http.header(1, "Authorization") == "Bearer at-2");
}

TEST_CASE("a 429 ends the run: nothing more is asked", "[poll_job]") {
    ScriptedHttp http;
    http.script = {{"/v1/me/player", 429, "", {{"retry-after", "12"}}}};
    auto request = request_with_token(3600 * 1000);
    request.want_devices = request.want_playlists = true;
    auto outcome = run_poll(http, request, kClock);
    REQUIRE_FALSE(outcome.player->ok());
    CHECK(outcome.player->error().retry_after_s == 12);
    CHECK_FALSE(outcome.devices);
    CHECK(http.seen.size() == 1);
}

TEST_CASE("profile, player, context name, devices and every playlist page", "[poll_job]") {
    ScriptedHttp http;
    std::string page2 =
        R"({"items":[{"uri":"spotify:playlist:p3","name":"Three"}],"next":null,"total":3})";
    http.script = {
        {"/v1/me", 200, s2m::test::read_fixture("spotify/me.json")},
        {"/v1/me/player?additional_types=episode", 200,
         s2m::test::read_fixture("spotify/player_track.json")},
        {"/v1/playlists/37i9dQZF1DXcBWIGoYBM5M", 200, R"({"name":"Today's Top Hits"})"},
        {"/v1/me/player/devices", 200, s2m::test::read_fixture("spotify/devices.json")},
        {"/v1/me/playlists?limit=50", 200,
         R"({"items":[{"uri":"spotify:playlist:p1","name":"One"},{"uri":"spotify:playlist:p2","name":"Two"}],
                        "next":"http://fake/v1/me/playlists?offset=2&limit=50","total":3})"},
        {"/v1/me/playlists?offset=2", 200, page2}};
    auto request = request_with_token(3600 * 1000);
    request.want_profile = request.want_devices = request.want_playlists = true;
    auto outcome = run_poll(http, request, kClock);
    CHECK(outcome.profile->value().premium == true);
    CHECK(outcome.context_name->second == "Today's Top Hits");
    CHECK(outcome.devices->value().size() == 2);
    REQUIRE(outcome.playlists->ok());
    CHECK(outcome.playlists->value().size() == 3);
    CHECK(http.script.empty());
}

TEST_CASE("a known context name is not fetched again - a next page off the API is not followed",
          "[poll_job]") {
    ScriptedHttp http;
    http.script = {{"/v1/me/player", 200, s2m::test::read_fixture("spotify/player_track.json")},
                   {"/v1/me/playlists", 200,
                    R"({"items":[],"next":"http://elsewhere.example/steal","total":9})"}};
    auto request = request_with_token(3600 * 1000);
    request.want_playlists = true;
    request.known_context_names.insert("spotify:playlist:37i9dQZF1DXcBWIGoYBM5M");
    auto outcome = run_poll(http, request, kClock);
    CHECK_FALSE(outcome.context_name);
    CHECK(outcome.playlists->ok());
    CHECK(http.seen.size() == 2);
}

TEST_CASE("a failed player read ends the run without touching the missing state", "[poll_job]") {
    for (int status : {503, 500, 404}) {
        ScriptedHttp http;
        http.script = {{"/v1/me/player", status, R"({"error":{"status":503,"message":"down"}})"}};
        auto request = request_with_token(3600 * 1000);
        request.retry.attempts = 1;  // retries have tests of their own below
        request.want_devices = request.want_playlists = true;
        auto outcome = run_poll(http, request, kClock);
        REQUIRE(outcome.player);
        REQUIRE_FALSE(outcome.player->ok());
        CHECK(outcome.player->error().http_status == status);
        CHECK_FALSE(outcome.devices);
        CHECK_FALSE(outcome.context_name);
        CHECK(http.seen.size() == 1);
    }
}

namespace {
// A retry policy that records its pauses instead of sleeping, with the jitter fixed.
PollRequest retrying(std::vector<int64_t>& pauses, double jitter = 1.0) {
    PollRequest request = request_with_token(3600 * 1000);
    request.retry.sleep = [&pauses](int64_t ms) { pauses.push_back(ms); };
    request.retry.jitter = [jitter] { return jitter; };
    return request;
}
}  // namespace

TEST_CASE("a 5xx or no answer is retried with backoff, then the read succeeds", "[poll_job]") {
    ScriptedHttp http;
    http.script = {
        {"/v1/me/player", 503, ""}, {"/v1/me/player", 0, ""}, {"/v1/me/player", 204, ""}};
    std::vector<int64_t> pauses;
    auto outcome = run_poll(http, retrying(pauses), kClock);
    REQUIRE(outcome.player);
    CHECK(outcome.player->ok());
    CHECK(http.seen.size() == 3);
    CHECK(pauses == std::vector<int64_t>{250, 500});
}

TEST_CASE("retries stop after three attempts and the failure is reported", "[poll_job]") {
    ScriptedHttp http;
    http.script = {
        {"/v1/me/player", 502, ""}, {"/v1/me/player", 502, ""}, {"/v1/me/player", 502, ""}};
    std::vector<int64_t> pauses;
    auto outcome = run_poll(http, retrying(pauses, 1.5), kClock);
    REQUIRE(outcome.player);
    REQUIRE_FALSE(outcome.player->ok());
    CHECK(outcome.player->error().http_status == 502);
    CHECK(http.seen.size() == 3);
    CHECK(pauses == std::vector<int64_t>{375, 750});  // jitter 1.5 stretches each pause
}

TEST_CASE("what is not transient is not retried", "[poll_job]") {
    for (int status : {400, 403, 404, 429}) {
        ScriptedHttp http;
        http.script = {{"/v1/me/player", status, R"({"error":{"status":1,"message":"no"}})"}};
        std::vector<int64_t> pauses;
        auto outcome = run_poll(http, retrying(pauses), kClock);
        INFO(status);
        REQUIRE(outcome.player);
        CHECK_FALSE(outcome.player->ok());
        CHECK(http.seen.size() == 1);
        CHECK(pauses.empty());
    }
}

TEST_CASE("a retry that would pass the time budget is not made", "[poll_job]") {
    ScriptedHttp http;
    http.script = {{"/v1/me/player", 503, ""}, {"/v1/me/player", 503, ""}};
    std::vector<int64_t> pauses;
    PollRequest request = retrying(pauses);
    request.retry.budget_ms = 600;  // 250 fits, 250 + 500 does not
    auto outcome = run_poll(http, request, kClock);
    CHECK(http.seen.size() == 2);
    CHECK(pauses == std::vector<int64_t>{250});
    // A slow failure (a timeout) uses up the budget by itself: no retry at all.
    ScriptedHttp slow;
    slow.script = {{"/v1/me/player", 0, ""}};
    int64_t now = kNow;
    std::function<int64_t()> clock = [&now] { return now; };
    PollRequest timed = retrying(pauses);
    pauses.clear();
    slow.on_send = [&now] { now += 10000; };
    run_poll(slow, timed, clock);
    CHECK(slow.seen.size() == 1);
    CHECK(pauses.empty());
}
