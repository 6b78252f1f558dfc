// One command of one account, run on an HTTP worker: fetch what planning needs (a fresh look at
// the player, the device list, the playlists, the user id), plan (core/CommandPlan.h), then make
// the calls in order and stop at the first failure. Touches no bridge state: the outcome, with
// everything fetched on the way, is posted back to the loop.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/Command.h"
#include "core/CommandPlan.h"
#include "ports/HttpClient.h"
#include "spotify/WebApi.h"

namespace s2m {

struct CommandRequest : JobRequest {
    CommandSet commands;
    AccountKnowledge known;
};

// The token part (SessionResult): refresh_deferred only when no call was made (the token must be
// renewed by the poll first); an auth error also becomes the response's `error`.
struct CommandOutcome : SessionResult {
    // Fetched for planning; the loop applies them like a poll's.
    std::optional<PlaybackState> state;
    std::optional<std::vector<Device>> devices;
    std::optional<std::vector<Playlist>> playlists;
    std::optional<UserProfile> profile;

    std::optional<CommandPlan> plan;    // the plan carried out (all of it unless `error`)
    size_t calls_made = 0;              // successful calls of `plan`
    std::optional<CommandError> error;  // the response's error, if any
    std::optional<Error> api_error;     // Spotify's answer behind `error`, when it came from a call
    int64_t first_call_at_ms = 0;       // when the first planned call went out (for benchmarks)
};

CommandOutcome run_command(HttpClient& http, const CommandRequest& request,
                           const std::function<int64_t()>& now_ms);

}  // namespace s2m
