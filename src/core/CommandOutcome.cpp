// What a command did: the state it predictably leads to (each key's prediction is in its row of
// CommandKeys.cpp), and the response when a call failed.
#include "core/CommandKeys.h"
#include "core/CommandPlan.h"
#include "core/Encoding.h"

namespace s2m {

PlaybackState predicted_state(const PlaybackState& before, const CommandSet& c,
                              const CommandPlan& plan, int64_t now_ms) {
    PlaybackState after = before;
    if (before.state == PlayerState::Idle) return after;  // waking a device: wait for a poll
    for (const CommandKey& key : command_key_table()) {
        if (key.asked && key.predict && key.asked(c)) key.predict(c, plan, after, now_ms);
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
    // The answer keeps the kind of what went wrong (upstream, not a refusal of the bridge's).
    auto answer = [&error](std::string reason_code, std::string message) {
        return CommandError(std::move(reason_code), std::move(message), error.kind);
    };
    switch (error.kind) {
        case ErrorKind::RateLimited:
            return answer(reason::kRateLimited,
                          could_not + ": Spotify's rate limit was reached; try again in " +
                              std::to_string(error.retry_after_s.value_or(30)) + " s.");
        case ErrorKind::InvalidGrant:
            return answer(
                reason::kReauthRequired,
                could_not +
                    ": Spotify no longer accepts this account's link. Link it again on the "
                    "bridge's web page or with `spotify2mqtt link`.");
        case ErrorKind::Network:
            return answer(reason::kApiUnreachable, could_not + ": Spotify did not answer (" +
                                                       message_excerpt(error.message) + ").");
        case ErrorKind::Http: {
            std::string why = explain(error.reason);
            if (why.empty()) {
                why = "Spotify answered HTTP " + std::to_string(error.http_status) + ": " +
                      message_excerpt(error.message) + ".";
            }
            // Spotify's own reason goes through as is, so automations can branch on it.
            return answer(
                error.reason.empty() ? reason::kSpotifyError : message_excerpt(error.reason),
                could_not + ": " + why);
        }
        default:
            return answer(reason::kSpotifyError, could_not + ": " + message_excerpt(error.message));
    }
}

}  // namespace s2m
