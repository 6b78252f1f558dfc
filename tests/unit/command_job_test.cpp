// CommandJob against a scripted HttpClient: fetching before planning, the calls in order, what a
// failure part-way says, and the token rules it shares with polls.
#include <catch2/catch.hpp>

#include "JobRequests.h"
#include "ScriptedHttp.h"
#include "app/CommandJob.h"

using namespace s2m;
using s2m::test::ScriptedHttp;

namespace {

const int64_t kNow = 1763796600000;
const std::function<int64_t()> kClock = [] { return kNow; };

CommandRequest request(CommandSet commands, int64_t token_left_ms = 3600 * 1000) {
    auto r = s2m::test::job_request<CommandRequest>("alice", kNow + token_left_ms);
    r.commands = std::move(commands);
    return r;
}

PlaybackState playing() {
    PlaybackState s;
    s.state = PlayerState::Playing;
    s.track = Track{"spotify:track:t1", "One", {"Band"}, "LP", std::nullopt, 200000, "track"};
    s.position_ms = 0;
    s.position_updated_at_ms = kNow;
    Device d;
    d.id = "spk";
    d.name = "Speaker";
    d.is_active = true;
    d.supports_volume = true;
    s.device = d;
    return s;
}

const std::string kOneDevice =
    R"({"devices":[{"id":"d1","name":"Desk","type":"Computer","is_active":false,
        "is_restricted":false,"supports_volume":true,"volume_percent":40}]})";

}  // namespace

TEST_CASE("play with nothing known looks at the player and the devices first", "[command_job]") {
    ScriptedHttp http;
    http.script = {{"/v1/me/player?", 204, ""},
                   {"/v1/me/player/devices", 200, kOneDevice},
                   {"/v1/me/player/play?device_id=d1", 204, ""}};
    CommandSet c;
    c.command = Transport::Play;
    CommandRequest r = request(c);
    r.known.state = PlaybackState{};  // idle, from an older poll
    CommandOutcome outcome = run_command(http, r, kClock);
    INFO((outcome.error ? outcome.error->message : ""));
    CHECK_FALSE(outcome.error);
    CHECK(http.script.empty());
    REQUIRE(http.seen.size() == 3);
    CHECK(http.seen[2].method == "PUT");
    CHECK(outcome.calls_made == 1);
    REQUIRE(outcome.devices);
    CHECK(outcome.devices->at(0).name == "Desk");
    REQUIRE(outcome.state);
    CHECK(outcome.state->state == PlayerState::Idle);
    CHECK(outcome.plan->target->id == "d1");
}

TEST_CASE("a failure part-way says what was done and keeps Spotify's reason", "[command_job]") {
    ScriptedHttp http;
    http.script = {
        {"/v1/me/player/volume?volume_percent=10", 204, ""},
        {"/v1/me/player/next", 403,
         R"({"error":{"status":403,"message":"No next track","reason":"NO_NEXT_TRACK"}})"}};
    CommandSet c;
    c.volume = 10;
    c.command = Transport::Next;
    CommandRequest r = request(c);
    r.known.state = playing();
    CommandOutcome outcome = run_command(http, r, kClock);
    REQUIRE(outcome.error);
    CHECK(outcome.error->reason == "NO_NEXT_TRACK");
    CHECK(outcome.error->message.starts_with("Done: set the volume to 10. But could not skip"));
    CHECK(outcome.calls_made == 1);
    REQUIRE(outcome.api_error);
    CHECK(outcome.api_error->http_status == 403);
}

TEST_CASE("a 401 renews the token once and the call is made again", "[command_job]") {
    ScriptedHttp http;
    http.script = {
        {"/v1/me/player/pause", 401, R"({"error":{"status":401,"message":"expired"}})"},
        {"/api/token", 200, R"({"access_token":"at-2","expires_in":3600,"refresh_token":"rt-2"})"},
        {"/v1/me/player/pause", 204, ""}};
    CommandSet c;
    c.command = Transport::Pause;
    CommandRequest r = request(c);
    r.known.state = playing();
    CommandOutcome outcome = run_command(http, r, kClock);
    CHECK_FALSE(outcome.error);
    REQUIRE(outcome.grant);
    CHECK(outcome.grant->refresh_token == "rt-2");
    CHECK(http.header(2, "Authorization") == "Bearer at-2");
}

TEST_CASE("without the refresh right an expiring token defers the command untouched",
          "[command_job]") {
    ScriptedHttp http;
    CommandSet c;
    c.volume = 5;
    CommandRequest r = request(c, 1000);  // expires in a second
    r.token.may_refresh = false;          // a poll is renewing it
    r.known.state = playing();
    CommandOutcome outcome = run_command(http, r, kClock);
    CHECK(outcome.refresh_deferred);
    CHECK_FALSE(outcome.error);
    CHECK(http.seen.empty());
}

TEST_CASE("a dead refresh token answers REAUTH_REQUIRED", "[command_job]") {
    ScriptedHttp http;
    http.script = {
        {"/api/token", 400, R"({"error":"invalid_grant","error_description":"revoked"})"}};
    CommandSet c;
    c.volume = 5;
    CommandRequest r = request(c, 0);
    r.known.state = playing();
    CommandOutcome outcome = run_command(http, r, kClock);
    REQUIRE(outcome.auth_error);
    CHECK(outcome.auth_error->kind == ErrorKind::InvalidGrant);
    REQUIRE(outcome.error);
    CHECK(outcome.error->reason == "REAUTH_REQUIRED");
}
