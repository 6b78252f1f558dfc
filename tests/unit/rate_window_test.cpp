// RateWindow, the 429 window the jobs of one app share across threads (core/RateWindow.h), and
// what a job's calls do with it (spotify/WebApi.h, ApiSession): nothing goes out inside it, a 429 a
// job receives closes it for its siblings, and a refusal is told apart from Spotify's own 429.
#include <catch2/catch.hpp>

#include <memory>
#include <thread>
#include <vector>

#include "JobRequests.h"
#include "ScriptedHttp.h"
#include "app/CommandJob.h"
#include "app/PollJob.h"
#include "core/RateWindow.h"

using namespace s2m;
using s2m::test::ScriptedHttp;

namespace {

const int64_t kWindowNow = 1763796600000;
const std::function<int64_t()> kWindowClock = [] { return kWindowNow; };
const std::string kWindowProfile = R"({"id":"alice","display_name":"Alice","product":"premium"})";
const std::string kQuotaBody =
    R"({"error":{"status":429,"message":"Quota exceeded","reason":"QUOTA_EXCEEDED"}})";

PollRequest poll(std::shared_ptr<RateWindow> window) {
    auto request = s2m::test::job_request<PollRequest>("alice", kWindowNow + 3600 * 1000);
    request.rate_window = std::move(window);
    return request;
}

}  // namespace

TEST_CASE("a rate window only ever closes further", "[rate_window]") {
    RateWindow window;
    CHECK_FALSE(window.closed(kWindowNow));
    CHECK(window.close_until(kWindowNow + 5000) == kWindowNow + 5000);
    CHECK(window.closed(kWindowNow + 4999));
    CHECK_FALSE(window.closed(kWindowNow + 5000));
    CHECK(window.close_until(kWindowNow + 1000) ==
          kWindowNow + 5000);  // a shorter one does not shorten it
    CHECK(window.closed_until_ms() == kWindowNow + 5000);
    CHECK(window.close_until(kWindowNow + 9000) == kWindowNow + 9000);
}

TEST_CASE("threads closing a rate window at once leave the latest end", "[rate_window]") {
    RateWindow window;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&window, t] {
            for (int64_t i = 0; i < 10000; ++i) window.close_until(i * 4 + t);
        });
    }
    for (std::thread& thread : threads) thread.join();
    CHECK(window.closed_until_ms() == 9999 * 4 + 3);
}

TEST_CASE("how long a 429 closes the window", "[rate_window]") {
    Error limited{ErrorKind::RateLimited, "", 429, "", 12};
    CHECK(rate_limit_window_ms(limited) == 12000);
    limited.retry_after_s.reset();
    CHECK(rate_limit_window_ms(limited) == kDefaultRetryAfterMs);
    limited.reason = "QUOTA_EXCEEDED";
    CHECK(rate_limit_window_ms(limited) == kQuotaWindowMs);
    limited.retry_after_s = 2 * 3600;  // a longer Retry-After wins
    CHECK(rate_limit_window_ms(limited) == 2 * 3600 * 1000);
}

TEST_CASE("a refusal says how long is left and is not Spotify's 429", "[rate_window]") {
    Error refusal = gate_refusal(kWindowNow, kWindowNow + 1500);
    CHECK(refusal.kind == ErrorKind::RateLimited);
    CHECK(refusal.retry_after_s == 2);
    CHECK(is_gate_refusal(refusal));
    CHECK_FALSE(is_gate_refusal(Error{ErrorKind::RateLimited, "", 429, "", 12}));
    CHECK_FALSE(is_gate_refusal(Error{ErrorKind::Network, "timeout"}));
}

TEST_CASE("a poll inside its app's window sends nothing", "[rate_window][poll_job]") {
    auto window = std::make_shared<RateWindow>();
    window->close_until(kWindowNow + 10000);
    ScriptedHttp http;
    PollOutcome outcome = run_poll(http, poll(window), kWindowClock);
    CHECK(http.seen.empty());
    REQUIRE(outcome.player);
    REQUIRE_FALSE(outcome.player->ok());
    CHECK(is_gate_refusal(outcome.player->error()));
    CHECK(outcome.player->error().retry_after_s == 10);
}

TEST_CASE("a window that closes while a poll runs stops its next call", "[rate_window][poll_job]") {
    // Another job of the app gets a 429 while this poll's first call is out.
    auto window = std::make_shared<RateWindow>();
    ScriptedHttp http;
    http.script = {{"/v1/me", 200, kWindowProfile}};
    http.on_send = [&] { window->close_until(kWindowNow + 60 * 60 * 1000); };
    PollRequest request = poll(window);
    request.want_profile = true;
    request.want_devices = true;
    PollOutcome outcome = run_poll(http, request, kWindowClock);
    CHECK(http.seen.size() == 1);  // the profile read only; no player, no devices
    REQUIRE(outcome.profile);
    CHECK(outcome.profile->ok());
    REQUIRE(outcome.player);
    CHECK(is_gate_refusal(outcome.player->error()));
    CHECK_FALSE(outcome.devices);
}

TEST_CASE("a 429 a poll receives closes the window for the app's other jobs",
          "[rate_window][poll_job]") {
    auto window = std::make_shared<RateWindow>();
    ScriptedHttp http;
    http.script = {{"/v1/me/player", 429, kQuotaBody}};
    PollOutcome outcome = run_poll(http, poll(window), kWindowClock);
    REQUIRE(outcome.player);
    CHECK_FALSE(is_gate_refusal(outcome.player->error()));  // Spotify's own: the loop reports it
    CHECK(window->closed_until_ms() == kWindowNow + kQuotaWindowMs);

    // A command of another account of the app, started meanwhile, sends nothing.
    ScriptedHttp other;
    auto command = s2m::test::job_request<CommandRequest>("bob", kWindowNow + 3600 * 1000);
    command.token = TokenSnapshot{"rt-b", "at-b", kWindowNow + 3600 * 1000, true};
    command.commands.volume = 20;
    command.rate_window = window;
    CommandOutcome done = run_command(other, command, kWindowClock);
    CHECK(other.seen.empty());
    REQUIRE(done.error);
    CHECK(done.error->reason == "RATE_LIMITED");
    REQUIRE(done.api_error);
    CHECK(is_gate_refusal(*done.api_error));
}

TEST_CASE("no token refresh goes out inside the window", "[rate_window][poll_job]") {
    auto window = std::make_shared<RateWindow>();
    window->close_until(kWindowNow + 5000);
    ScriptedHttp http;
    PollRequest request = poll(window);
    request.token.access_expires_at_ms = kWindowNow;  // needs renewing
    PollOutcome outcome = run_poll(http, request, kWindowClock);
    CHECK(http.seen.empty());
    REQUIRE(outcome.auth_error);
    CHECK(is_gate_refusal(*outcome.auth_error));
}
