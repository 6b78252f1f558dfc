// What a command did: the state it predictably leads to, and the response when a call failed.
#include <algorithm>

#include "core/CommandPlan.h"
#include "core/Encoding.h"
#include "core/StateDiff.h"

namespace s2m {

PlaybackState predicted_state(const PlaybackState& before, const CommandSet& c,
                              const CommandPlan& plan, int64_t now_ms) {
    PlaybackState after = before;
    if (before.state == PlayerState::Idle) return after;  // waking a device: wait for a poll
    if (c.device && plan.target && !c.play && !c.playlist) {
        after.device = plan.target;
        after.device->is_active = true;
        after.volume = plan.target->volume;
    }
    if (c.shuffle) after.shuffle = *c.shuffle;
    if (c.repeat) after.repeat = *c.repeat;
    if (c.volume) {
        after.volume = *c.volume;
        if (after.device) after.device->volume = *c.volume;
    }
    if (c.position_ms) {
        int64_t position = *c.position_ms;
        if (after.track && after.track->duration_ms)
            position = std::min(position, *after.track->duration_ms);
        after.position_ms = position;
        after.position_updated_at_ms = now_ms;
    }
    if (plan.transport) {
        // Freeze or restart the clock at the position the bridge predicts for now.
        after.position_ms = predicted_position_ms(after, now_ms);
        after.position_updated_at_ms = now_ms;
        after.state =
            *plan.transport == Transport::Pause ? PlayerState::Paused : PlayerState::Playing;
    }
    return after;
}

namespace {

// Spotify's messages are short; a longer one is cut rather than flooding the reply.
std::string message_excerpt(const std::string& text) {
    return utf8_prefix(text, 200);
}

// Sentences for the reasons a person can do something about.
std::string explain(const std::string& spotify_reason) {
    if (spotify_reason == "NO_ACTIVE_DEVICE")
        return "Spotify has no active device. Start playback somewhere or pick a device with "
               "\"device\".";
    if (spotify_reason == "PREMIUM_REQUIRED")
        return "Spotify Premium is required to control playback; this account can only be read.";
    if (spotify_reason == "DEVICE_NOT_CONTROLLABLE")
        return "the device accepts no remote commands (a restricted device such as Sonos or some "
               "TVs).";
    if (spotify_reason == "VOLUME_CONTROL_DISALLOW")
        return "the device does not let Spotify change its volume.";
    return "";
}

}  // namespace

CommandError command_error(const Error& error, const std::string& action,
                           const std::vector<std::string>& done) {
    std::string prefix;
    if (!done.empty()) {
        prefix = "Done: ";
        for (size_t i = 0; i < done.size(); ++i) prefix += (i ? ", " : "") + done[i];
        prefix += ". But ";
    }
    std::string could_not = prefix + (prefix.empty() ? "Could not " : "could not ") + action;
    switch (error.kind) {
        case ErrorKind::RateLimited:
            return {reason::kRateLimited,
                    could_not + ": Spotify's rate limit was reached; try again in " +
                        std::to_string(error.retry_after_s.value_or(30)) + " s."};
        case ErrorKind::InvalidGrant:
            return {reason::kReauthRequired,
                    could_not +
                        ": Spotify no longer accepts this account's link. Link it again on the "
                        "bridge's web page or with `spotify2mqtt link`."};
        case ErrorKind::Network:
            return {reason::kApiUnreachable, could_not + ": Spotify did not answer (" +
                                                 message_excerpt(error.message) + ")."};
        case ErrorKind::Http: {
            std::string why = explain(error.reason);
            if (why.empty()) {
                why = "Spotify answered HTTP " + std::to_string(error.http_status) + ": " +
                      message_excerpt(error.message) + ".";
            }
            // Spotify's own reason goes through as is, so automations can branch on it.
            return {error.reason.empty() ? reason::kSpotifyError : message_excerpt(error.reason),
                    could_not + ": " + why};
        }
        default:
            return {reason::kSpotifyError, could_not + ": " + message_excerpt(error.message)};
    }
}

}  // namespace s2m
