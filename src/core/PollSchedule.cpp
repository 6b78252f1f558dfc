#include "core/PollSchedule.h"

#include <algorithm>

#include "core/StateDiff.h"

namespace s2m {

PollSchedule::PollSchedule(PollingConfig polling) : polling_(polling) {}

void PollSchedule::player_read(const PlaybackState& state, int64_t at_ms) {
    last_read_ms_ = std::max(last_read_ms_, at_ms);
    last_state_ = state.state;
    auto remaining = remaining_ms(state, at_ms);
    track_end_at_ms_ = remaining ? at_ms + *remaining : -1;
    // A read at or after a confirmation's time confirms it.
    confirmations_.erase(confirmations_.begin(), confirmations_.upper_bound(last_read_ms_));
}

void PollSchedule::devices_read(int64_t at_ms) {
    devices_read_ms_ = at_ms;
    devices_requested_ = false;
}

void PollSchedule::playlists_read(int64_t at_ms) {
    playlists_read_ms_ = at_ms;
    playlists_requested_ = false;
}

void PollSchedule::confirm_at(int64_t at_ms) {
    confirmations_.insert(at_ms);
}

int64_t PollSchedule::interval_ms() const {
    switch (last_state_) {
        case PlayerState::Playing:
            return polling_.playing_interval_s * 1000LL;
        case PlayerState::Paused:
            return polling_.paused_interval_s * 1000LL;
        case PlayerState::Idle:
            break;
    }
    return polling_.idle_interval_s * 1000LL;
}

int64_t PollSchedule::next_read_at() const {
    if (!has_read()) return 0;
    const int64_t interval = interval_ms();
    int64_t next = last_read_ms_ + interval;
    // Boosted (set/boost): the first read at or after the boost's end is back to the usual pace.
    if (last_state_ != PlayerState::Playing && last_read_ms_ < boost_until_ms_)
        next = std::min(next, last_read_ms_ + kBoostIntervalMs);
    if (last_state_ == PlayerState::Playing && track_end_at_ms_ >= 0) {
        // The reads up to the track's end, evenly spaced: the read at the end is one of them
        // rather than an extra one shortly after a routine read.
        int64_t span = track_end_at_ms_ + kTrackEndMarginMs - last_read_ms_;
        int64_t reads = std::max<int64_t>(1, (span + interval - 1) / interval);
        next = std::min(next, last_read_ms_ + std::max<int64_t>(0, span) / reads);
    }
    if (devices_requested_ || playlists_requested_) next = std::min(next, last_read_ms_);
    if (!confirmations_.empty()) next = std::min(next, *confirmations_.begin());
    return std::max(next, last_read_ms_ + kMinPollGapMs);
}

PollExtras PollSchedule::extras(int64_t at_ms) const {
    int64_t devices_every =
        last_state_ == PlayerState::Idle ? kDevicesIdleEveryMs : kDevicesActiveEveryMs;
    PollExtras extras;
    extras.devices =
        devices_requested_ || devices_read_ms_ < 0 || at_ms >= devices_read_ms_ + devices_every;
    extras.playlists = playlists_requested_ || playlists_read_ms_ < 0 ||
                       at_ms >= playlists_read_ms_ + kPlaylistsEveryMs;
    return extras;
}

int64_t failure_backoff_ms(int failures, double unit_random) {
    constexpr int64_t kMaxBackoffMs = 5 * 60 * 1000;
    int64_t base = std::min<int64_t>(kMaxBackoffMs, 2000LL << std::clamp(failures, 1, 8));
    double spread = 0.75 + 0.5 * std::clamp(unit_random, 0.0, 1.0);
    return static_cast<int64_t>(static_cast<double>(base) * spread);
}

}  // namespace s2m
