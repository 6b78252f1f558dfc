// Liked (docs/mqtt.md#account-state): the account state's `liked` key, whether the current item
// is in the user's library, and when the bridge checks it. Pure, so the daemon
// (app/modules/LikedModule) and the listening-day benchmark (bench/model/Policies.cpp) count the
// same reads.
#pragma once

#include <optional>
#include <string>

#include "core/PlaybackState.h"

namespace s2m {

// What the bridge knows about one item: `uri` is (true) or is not (false) in the library.
struct LikedMark {
    std::string uri;
    bool liked = false;

    bool operator==(const LikedMark&) const = default;
};

// Whether the library must be checked now that `shown` is the published state: once per item
// (`read_for`: the URI the last check was for), playing or paused, never while idle. Seeking,
// pausing and resuming the same item check nothing.
bool liked_read_due(const PlaybackState& shown, const std::optional<std::string>& read_for);

// The `liked` value of `state`: the mark's when it is about the current item, else unknown
// (null), and null whenever nothing plays.
std::optional<bool> liked_value(const PlaybackState& state, const std::optional<LikedMark>& mark);

}  // namespace s2m
