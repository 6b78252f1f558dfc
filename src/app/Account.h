// What the loop knows about one account. Owned by Bridge; loop thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/Command.h"
#include "core/PlaybackState.h"
#include "core/PollSchedule.h"
#include "core/StatePayload.h"
#include "ports/Scheduler.h"
#include "ports/TokenStore.h"

namespace s2m {

// A command waiting its turn: one runs at a time per account, in arrival order.
struct PendingCommand {
    CommandSet commands;
    std::optional<nlohmann::json> transaction;
    int64_t received_ms = 0;     // when the bridge got it (the 10 s staleness rule)
    bool deferred_once = false;  // already waited once for a token renewal
};

struct Account {
    std::string name;
    std::string app;  // the client id of its Spotify app: the rate-limit gate it shares
    std::optional<AccountRecord> record;  // nullopt: not linked (or must link again)
    bool reauth_required = false;

    std::optional<PlaybackState> published;  // the last state put on MQTT
    std::optional<std::vector<Device>> devices;
    std::optional<std::vector<Playlist>> playlists;
    std::map<std::string, std::string> context_names;  // uri → name ("" = has none)
    std::optional<Availability> availability;
    std::string last_error;

    std::optional<std::string> last_device_id;  // where it last played (idle `play` goes there)

    PollSchedule schedule;    // when to read what (core/PollSchedule.h)
    bool in_flight = false;   // a PollJob is running: never two per account
    bool poll_again = false;  // someone asked for a poll while one was running
    // The next read shows a command's result: it goes at a command's priority (only a 429
    // window holds it back), not in line with routine polls.
    bool urgent_read = false;
    bool expiry_warned = false;  // the 14-day refresh-token warning was given
    // A Free account's plan is read again now and then, so an upgrade to Premium is noticed
    // without linking again: when it was last read (-1: read it with the next poll).
    int64_t profile_read_ms = -1;
    int64_t plan_rechecked_ms = -1;  // the last recheck a refused command asked for
    int failures = 0;                // consecutive failed polls, for backoff
    Scheduler::TimerId poll_timer = 0;
    int64_t next_poll_at_ms = 0;  // when poll_timer fires

    std::string published_discovery;    // the last HA discovery payload sent (to skip repeats)
    std::string published_diagnostics;  // the same for <base>/<account>/diagnostics
    // The same for the mqtt_media_player announcement and its values (topic → payload).
    std::string published_media_discovery;
    std::map<std::string, std::string> published_media;
    bool media_forced = false;                 // publish every value once more
    std::optional<std::string> media_art_url;  // the cover on media/albumart (or on its way)

    // Set while the newest record (a rotated refresh token above all) could not be written to
    // the token store: the file holds an older one, so a restart would lose the link. Shown on
    // availability, diagnostics, bridge/info and /healthz until a retry succeeds.
    std::optional<std::string> store_error;
    int store_failures = 0;  // consecutive failed saves, for the retry backoff
    Scheduler::TimerId store_retry_timer = 0;

    std::deque<PendingCommand> commands;
    bool command_in_flight = false;    // a CommandJob is running
    int64_t poll_started_ms = 0;       // when the running (or last) poll went out
    int64_t last_command_done_ms = 0;  // a poll older than this saw the state before it

    // The word bridge/info and `spotify2mqtt accounts` use for this account.
    std::string status() const {
        if (reauth_required) return "reauth_required";
        if (!record) return "not_linked";
        if (!availability) return "starting";
        if (availability->online) return store_error ? "token_not_saved" : "online";
        return availability->reason;
    }
};

}  // namespace s2m
