// What every worker job of one account (a poll, a command) takes along and brings back about the
// account's token. The two jobs differ in what they read and do; their token handling is the same
// (app/ApiSession.h), so the loop applies a grant, a failed refresh or a deferral the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "config/Config.h"
#include "core/RateWindow.h"
#include "core/Result.h"
#include "core/TokenGrant.h"

namespace s2m {

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

}  // namespace s2m
