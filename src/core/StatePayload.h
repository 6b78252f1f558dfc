// The JSON payloads of docs/mqtt.md: account state (every key present, null when unknown), devices,
// playlists, availability. Pure functions of the model.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/PlaybackState.h"

namespace s2m {

// ISO 8601 UTC with milliseconds, e.g. 2026-11-22T07:30:00.123Z
std::string iso8601_utc(int64_t unix_ms);

// `liked`: whether the current item is in the user's library (core/Liked.h), null when unknown.
nlohmann::json state_payload(const PlaybackState& state, std::optional<bool> liked = std::nullopt);
nlohmann::json devices_payload(const std::vector<Device>& devices);
nlohmann::json playlists_payload(const std::vector<Playlist>& playlists);

// {"state":"online"} or {"state":"offline","reason":…[,"message":…][,"until":…]}; an account
// that works but needs attention is {"state":"online","reason":…,"message":…}.
struct Availability {
    bool online = false;
    std::string reason;               // reauth_required | rate_limited | api_unreachable | …
    std::string message;              // a sentence for a person, optional
    std::optional<int64_t> until_ms;  // when a rate-limit window ends

    bool operator==(const Availability&) const = default;
    static Availability up() { return Availability{true, "", "", std::nullopt}; }
    static Availability down(std::string reason, std::string message = "") {
        return Availability{false, std::move(reason), std::move(message), std::nullopt};
    }
};
nlohmann::json availability_payload(const Availability& availability);

}  // namespace s2m
