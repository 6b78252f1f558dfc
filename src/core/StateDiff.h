// Decides whether a freshly polled state is news. The bridge publishes the position together with
// the time it was true, so consumers extrapolate; a poll that only confirms that extrapolation is
// not news (docs/mqtt.md#account-state). A seek or drift beyond kDriftToleranceMs is.
#pragma once

#include <cstdint>

#include "core/PlaybackState.h"

namespace s2m {

inline constexpr int64_t kDriftToleranceMs = 2000;

// Where `state` says playback is at `at_ms`: the position moves only while playing and never
// beyond the track's end.
int64_t predicted_position_ms(const PlaybackState& state, int64_t at_ms);

// Milliseconds until the current track ends according to `state`, or nullopt when unknown or not
// playing.
std::optional<int64_t> remaining_ms(const PlaybackState& state, int64_t at_ms);

// True when `fresh` differs from `published` in anything but the predicted progress.
bool is_news(const PlaybackState& published, const PlaybackState& fresh);

}  // namespace s2m
