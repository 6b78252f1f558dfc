#include "core/PollPolicy.h"

#include <algorithm>

#include "core/StateDiff.h"

namespace s2m {

int64_t next_poll_delay_ms(const PlaybackState& state, const PollingConfig& polling,
                           int64_t now_ms) {
    switch (state.state) {
        case PlayerState::Idle:
            return polling.idle_interval_s * 1000LL;
        case PlayerState::Paused:
            return polling.paused_interval_s * 1000LL;
        case PlayerState::Playing:
            break;
    }
    int64_t delay = polling.playing_interval_s * 1000LL;
    if (auto remaining = remaining_ms(state, now_ms)) {
        delay = std::min(delay, *remaining + kTrackEndMarginMs);
    }
    return std::max(delay, kMinPollGapMs);
}

}  // namespace s2m
