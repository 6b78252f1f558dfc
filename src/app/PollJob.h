// One poll of one account, run on an HTTP worker: keep the access token fresh (refresh ahead of
// expiry, and once more on a 401), then read player state and, when asked, profile, devices,
// playlists and the name of a new context. Touches no bridge state: the outcome is posted back.
// Token handling is ApiSession's; a poll may run next to a command job of the same account, but
// only the one holding the refresh right may refresh.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/ApiSession.h"
#include "config/Config.h"
#include "core/PlaybackState.h"
#include "core/Result.h"
#include "core/TokenGrant.h"
#include "ports/HttpClient.h"

namespace s2m {

struct PollRequest {
    std::string account;
    SpotifyConfig spotify;
    std::string refresh_token;
    std::string access_token;
    int64_t access_expires_at_ms = 0;
    bool may_refresh = true;  // false while a command job of the account holds the right
    bool want_profile = false;
    bool want_devices = false;
    bool want_playlists = false;
    std::set<std::string> known_context_names;  // context URIs whose name the bridge already has
    long timeout_ms = 10000;
    RetryPolicy retry;  // for the reads; tests replace the sleep
    // The 429 window of the account's app, shared with the loop (core/RateWindow.h).
    std::shared_ptr<RateWindow> rate_window;
};

struct PollOutcome {
    std::optional<TokenGrant> grant;  // a refreshed token (and maybe a rotated refresh token)
    int64_t grant_received_at_ms = 0;
    std::optional<Error> auth_error;  // a refresh failed
    bool refresh_deferred = false;    // a refresh was due but not allowed: poll again soon
    std::optional<Result<UserProfile>> profile;
    std::optional<Result<PlaybackState>> player;
    std::optional<Result<std::vector<Device>>> devices;
    std::optional<Result<std::vector<Playlist>>> playlists;
    std::optional<std::pair<std::string, std::string>> context_name;  // uri → name
};

PollOutcome run_poll(HttpClient& http, const PollRequest& request,
                     const std::function<int64_t()>& now_ms);

}  // namespace s2m
