// One poll of one account, run on an HTTP worker: keep the access token fresh (refresh ahead of
// expiry, and once more on a 401), then read player state and, when asked, profile, devices,
// playlists and the name of a new context. Touches no bridge state: the outcome is posted back.
// Because the bridge never runs two jobs for one account at once, there is never more than one
// token refresh in flight per account.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/Config.h"
#include "core/PlaybackState.h"
#include "core/Result.h"
#include "core/TokenGrant.h"
#include "ports/HttpClient.h"

namespace s2m {

// Refresh when the access token has less than this left, so no call meets an expired token.
inline constexpr int64_t kRefreshAheadMs = 120 * 1000;

struct PollRequest {
    std::string account;
    SpotifyConfig spotify;
    std::string refresh_token;
    std::string access_token;
    int64_t access_expires_at_ms = 0;
    bool want_profile = false;
    bool want_devices = false;
    bool want_playlists = false;
    std::set<std::string> known_context_names;  // context URIs whose name the bridge already has
    long timeout_ms = 10000;
};

struct PollOutcome {
    std::optional<TokenGrant> grant;  // a refreshed token (and maybe a rotated refresh token)
    int64_t grant_received_at_ms = 0;
    std::optional<Error> auth_error;  // the refresh failed; nothing else was tried
    std::optional<Result<UserProfile>> profile;
    std::optional<Result<PlaybackState>> player;
    std::optional<Result<std::vector<Device>>> devices;
    std::optional<Result<std::vector<Playlist>>> playlists;
    std::optional<std::pair<std::string, std::string>> context_name;  // uri → name
};

PollOutcome run_poll(HttpClient& http, const PollRequest& request,
                     const std::function<int64_t()>& now_ms);

}  // namespace s2m
