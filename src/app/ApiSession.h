// One job's use of the Web API for one account, on a worker thread: keeps the access token fresh
// (refreshing ahead of expiry, and once more on a 401) and remembers any new grant for the loop.
// Only a job that holds the account's refresh right may refresh: two concurrent refreshes with
// one rotating refresh token would leave one of them holding a dead token.
// With the app's RateWindow set, no request goes out inside a 429 window, even one that began
// after the job started (another job of the app got the 429): the call fails at once with a
// gate refusal (core/RateWindow.h). A 429 this session receives closes the window itself.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/JobRequest.h"
#include "config/Config.h"
#include "core/RateWindow.h"
#include "core/Result.h"
#include "core/TokenGrant.h"
#include "ports/HttpClient.h"
#include "spotify/WebApi.h"

namespace s2m {

// Refresh when the access token has less than this left, so no call meets an expired token.
inline constexpr int64_t kRefreshAheadMs = 120 * 1000;

// Reads (GET) are safe to repeat. A transient failure (no answer, or 5xx) is tried again with
// exponential backoff and ±50 % jitter (so many accounts do not retry in step), while the whole
// read stays within budget_ms; after that the caller skips this cycle.
struct RetryPolicy {
    int attempts = 3;
    int64_t base_delay_ms = 250;         // before the 2nd attempt; doubled for each one after
    int64_t budget_ms = 2500;            // a 10 s timeout is never retried
    std::function<void(int64_t)> sleep;  // default: the worker thread sleeps
    std::function<double()> jitter;      // a factor in [0.5, 1.5); default: random

    int64_t delay_ms(int attempt) const;  // before attempt number `attempt` (2, 3, …)
};

class ApiSession {
  public:
    // Uses the request's app, token, timeout and rate window; `request` must outlive the session.
    ApiSession(HttpClient& http, const JobRequest& request, const std::function<int64_t()>& now_ms);

    // Refreshes when the token is missing or about to expire; false when that failed or was not
    // allowed (auth_error() says why, result().refresh_deferred tells the two apart).
    bool ensure_fresh_token();

    // Calls the API; on a 401 refreshes the access token once and tries again.
    template <typename T, typename Call>
    Result<T> call(Call fn) {
        if (auto refusal = refused_by_gate()) return *refusal;
        WebApi api = web_api();
        Result<T> result = fn(api);
        if (!result.ok()) note_rate_limit(result.error());
        if (result.ok() || result.error().kind != ErrorKind::Unauthorized || retried_401_) {
            return result;
        }
        retried_401_ = true;
        if (!refresh()) return *auth_error_;
        if (auto refusal = refused_by_gate()) return *refusal;
        WebApi fresh = web_api();
        Result<T> again = fn(fresh);
        if (!again.ok()) note_rate_limit(again.error());
        return again;
    }

    // call(), with RetryPolicy's retries for transient failures: for reads only.
    template <typename T, typename Call>
    Result<T> read(Call fn) {
        const int64_t started = now_ms_();
        int64_t waited = 0;
        Result<T> result = call<T>(fn);
        for (int attempt = 2; attempt <= retry_.attempts; ++attempt) {
            if (result.ok() || !result.error().transient()) break;
            int64_t delay = retry_.delay_ms(attempt);
            int64_t spent = std::max(now_ms_() - started, waited);
            if (spent + delay > retry_.budget_ms) break;
            pause(delay);
            waited += delay;
            result = call<T>(fn);
        }
        return result;
    }
    void set_retry(RetryPolicy retry) { retry_ = std::move(retry); }

    const std::optional<Error>& auth_error() const { return auth_error_; }
    // What became of the token, for the job's outcome: a deferred refresh is no auth error.
    SessionResult result() const;
    int64_t now() const { return now_ms_(); }

  private:
    bool refresh();
    void pause(int64_t ms);
    std::optional<Error> refused_by_gate() const;  // the window is closed now
    void note_rate_limit(const Error& error);      // a 429 from Spotify closes the window
    WebApi web_api() { return WebApi(http_, spotify_.api_url, token_.access_token, timeout_ms_); }

    HttpClient& http_;
    const SpotifyConfig& spotify_;
    TokenSnapshot token_;
    const std::function<int64_t()>& now_ms_;
    long timeout_ms_;
    std::string original_refresh_token_;
    bool retried_401_ = false;
    bool refresh_deferred_ = false;
    std::optional<TokenGrant> grant_;
    int64_t grant_received_at_ms_ = 0;
    std::optional<Error> auth_error_;
    RetryPolicy retry_;
    std::shared_ptr<RateWindow> window_;
};

}  // namespace s2m
