// When to poll an account next (SPEC §2 `polling`): the configured interval for the state it is
// in, brought forward to just after the predicted end of the playing track, so a natural track
// change is seen within about a second without extra calls.
#pragma once

#include <cstdint>

#include "config/Config.h"
#include "core/PlaybackState.h"

namespace s2m {

// How long after the predicted end of a track to ask: Spotify needs a moment to switch.
inline constexpr int64_t kTrackEndMarginMs = 400;
// Never poll sooner than this, whatever the prediction says (a track at its very end).
inline constexpr int64_t kMinPollGapMs = 1000;

int64_t next_poll_delay_ms(const PlaybackState& state, const PollingConfig& polling,
                           int64_t now_ms);

}  // namespace s2m
