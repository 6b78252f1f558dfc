// Sends the requests of spotify/Endpoints.h over an HttpClient, with the access token it is given,
// and reads the answers (spotify/SpotifyJson.h). Stateless apart from that token; runs on a worker
// thread. A 2xx is the answer; anything else an Error with Spotify's reason
// (docs/mqtt-commands.md#responses: the command responses pass that reason on).
//
// Below it, ApiSession: how a job (a poll, a command) calls through WebApi with a token it keeps
// fresh, and what it brings back about that token for the loop.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/Config.h"
#include "core/Listening.h"
#include "core/PlaybackState.h"
#include "core/RateWindow.h"
#include "core/Result.h"
#include "core/TokenGrant.h"
#include "ports/HttpClient.h"
#include "spotify/Endpoints.h"
#include "spotify/SpotifyJson.h"

namespace s2m {

// POST <accounts_url>/api/token with grant_type=refresh_token.
Result<TokenGrant> refresh_access_token(HttpClient& http, const SpotifyConfig& spotify,
                                        const std::string& refresh_token);

// POST <accounts_url>/api/token with grant_type=authorization_code: the code from the redirect,
// the configured redirect_uri (it must match the one sent to /authorize) and the PKCE verifier.
Result<TokenGrant> exchange_authorization_code(HttpClient& http, const SpotifyConfig& spotify,
                                               const std::string& code,
                                               const std::string& verifier);

class WebApi {
  public:
    WebApi(HttpClient& http, std::string api_url, std::string access_token, long timeout_ms);

    // Any request of spotify/Endpoints.h; the answer when it is a 2xx.
    Result<HttpResponse> send(const endpoint::Request& request);

    Result<PlaybackState> player(int64_t now_ms);
    Result<std::vector<Device>> devices();
    // Follows `next` through every page (bounded, so a looping server cannot trap us).
    Result<std::vector<Playlist>> playlists();
    Result<UserProfile> me();
    Result<SearchResults> search(const SearchQuery& query);
    Result<PlayQueue> queue();
    // One page of the user's saved items of `type` (not artists), and one cursor page of the
    // followed artists (app/LibraryJob walks those).
    Result<LibraryPage> saved_items(LibraryType type, int offset, int limit);
    Result<FollowedArtistsPage> followed_artists(const std::optional<std::string>& after,
                                                 int limit);
    // The newest `limit` plays (get-recently-played).
    Result<std::vector<PlayedItem>> recently_played(int limit);
    // The first `limit` top tracks, then top artists, of `time_range`: two calls.
    Result<TopItems> top_items(const std::string& time_range, int limit);
    // Whether a playlist holds `uri`, reading its item URIs 50 a page, at most `max_pages` pages:
    // nullopt when the playlist is longer than that and the pages read do not hold it.
    Result<std::optional<bool>> playlist_contains(const std::string& playlist_id,
                                                  const std::string& uri, int max_pages);
    // Whether `uri` is in the user's library (check-library-contains with one URI).
    Result<bool> in_library(const std::string& uri);
    // The name of the object endpoint::get_context asked for (context names).
    Result<std::string> object_name(const endpoint::Request& request);

  private:
    Result<HttpResponse> exchange(const std::string& method, const std::string& url,
                                  const std::optional<nlohmann::json>& body);

    HttpClient& http_;
    std::string api_url_;
    std::string authorization_;
    long timeout_ms_;
};

// ---- One job's session --------------------------------------------------------------------------
// What every worker job of one account (a poll, a command) takes along and brings back about the
// account's token. The two jobs differ in what they read and do; their token handling is the
// same (ApiSession below), so the loop applies a grant, a failed refresh or a deferral the same
// way.

// The account's token as the loop had it when the job started.
struct TokenSnapshot {
    std::string refresh_token;
    std::string access_token;
    int64_t access_expires_at_ms = 0;
    bool may_refresh = true;  // this job holds the account's refresh right
};

// The part of a request every job of one account has.
struct JobRequest {
    std::string account;
    SpotifyConfig spotify;
    TokenSnapshot token;
    long timeout_ms = 10000;
    // The 429 window of the account's app, shared with the loop (core/RateWindow.h).
    std::shared_ptr<RateWindow> rate_window;
};

// What became of the token during a job (ApiSession::result()).
struct SessionResult {
    std::optional<TokenGrant> grant;  // a refreshed token (and maybe a rotated refresh token)
    int64_t grant_received_at_ms = 0;
    std::optional<Error> auth_error;  // a refresh failed (e.g. invalid_grant)
    // A refresh was due but another job of the account holds the right: try again soon.
    bool refresh_deferred = false;
};

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

// One job's use of the Web API for one account, on a worker thread: keeps the access token fresh
// (refreshing ahead of expiry, and once more on a 401) and remembers any new grant for the loop.
// Only a job that holds the account's refresh right may refresh: two concurrent refreshes with
// one rotating refresh token would leave one of them holding a dead token.
// With the app's RateWindow set, no request goes out inside a 429 window, even one that began
// after the job started (another job of the app got the 429): the call fails at once with a
// gate refusal (core/RateWindow.h). A 429 this session receives closes the window itself.
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
