// One poll of one account, run on an HTTP worker: keep the access token fresh (refresh ahead of
// expiry, and once more on a 401), then read player state and, when asked, profile, devices,
// playlists and the name of a new context. Touches no bridge state: the outcome is posted back.
// Token handling is ApiSession's; a poll may run next to a command job of the same account, but
// only the one holding the refresh right may refresh.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/PlaybackState.h"
#include "core/Result.h"
#include "ports/HttpClient.h"
#include "spotify/WebApi.h"

namespace s2m {

struct PollRequest : JobRequest {
    bool want_profile = false;
    bool want_devices = false;
    bool want_playlists = false;
    std::set<std::string> known_context_names;  // context URIs whose name the bridge already has
    RetryPolicy retry;                          // for the reads; tests replace the sleep
};

// The token part (SessionResult) first: a failed or deferred refresh makes the reads moot.
struct PollOutcome : SessionResult {
    std::optional<Result<UserProfile>> profile;
    std::optional<Result<PlaybackState>> player;
    std::optional<Result<std::vector<Device>>> devices;
    std::optional<Result<std::vector<Playlist>>> playlists;
    std::optional<std::pair<std::string, std::string>> context_name;  // uri → name
};

PollOutcome run_poll(HttpClient& http, const PollRequest& request,
                     const std::function<int64_t()>& now_ms);

}  // namespace s2m
