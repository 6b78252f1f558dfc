#include "core/PollSchedule.h"

#include <algorithm>

#include "core/StateDiff.h"

namespace s2m {

namespace {
constexpr int64_t kScheduleHourMs = 3600 * 1000;
constexpr int64_t kReplanEveryMs = kScheduleHourMs;
constexpr int64_t kScheduleDayMs = 24 * kScheduleHourMs;
}  // namespace

PollSchedule::PollSchedule(PollingConfig polling, int calls_per_item, QuietPace pace)
    : polling_(polling), calls_per_item_(calls_per_item), pace_(pace) {}

void PollSchedule::player_read(const PlaybackState& state, int64_t at_ms) {
    const bool had_read = has_read();
    const PlayerState before = last_state_;
    const bool paced = had_read && pace_at(last_read_ms_, before) == Pace::Habits;
    // The habits count hours of the week in local time (use_local_time).
    const int64_t local_at = local(at_ms);
    if (paced) {
        habits_.paced_read(local_at);
    } else {
        habits_.spent(1, local_at);
    }
    count_call(1, at_ms);
    if (had_read && at_ms > last_read_ms_) {
        habits_.watched(local(last_read_ms_), local_at, before != PlayerState::Playing, paced);
        if (before != PlayerState::Playing && state.state == PlayerState::Playing)
            habits_.started(local_at);
    }
    if (had_read && before == PlayerState::Playing && state.state != PlayerState::Playing)
        quiet_since_ms_ = at_ms;
    if (state.state == PlayerState::Idle) {
        last_item_.clear();
    } else if (state.state == PlayerState::Playing && state.track &&
               state.track->uri != last_item_) {
        last_item_ = state.track->uri;
        habits_.spent(calls_per_item_, local_at);
        count_call(calls_per_item_, at_ms);
    }
    last_read_ms_ = std::max(last_read_ms_, at_ms);
    last_state_ = state.state;
    if (at_ms >= replan_at_ms_ || habits_.starts_revision() != planned_revision_) replan(at_ms);
    auto remaining = remaining_ms(state, at_ms);
    track_end_at_ms_ = remaining ? at_ms + *remaining : -1;
    // A read at or after a confirmation's time confirms it.
    confirmations_.erase(confirmations_.begin(), confirmations_.upper_bound(last_read_ms_));
}

void PollSchedule::devices_read(int64_t at_ms) {
    habits_.spent(1, local(at_ms));
    count_call(1, at_ms);
    devices_read_ms_ = at_ms;
    devices_requested_ = false;
}

void PollSchedule::playlists_read(int64_t at_ms) {
    habits_.spent(1, local(at_ms));
    count_call(1, at_ms);
    playlists_read_ms_ = at_ms;
    playlists_requested_ = false;
}

void PollSchedule::confirm_at(int64_t at_ms) {
    confirmations_.insert(at_ms);
}

void PollSchedule::boost_until(int64_t until_ms) {
    boost_until_ms_ = until_ms;
}

void PollSchedule::calls_made(double calls, int64_t at_ms) {
    habits_.spent(calls, local(at_ms));
    count_call(calls, at_ms);
}

void PollSchedule::count_call(double calls, int64_t at_ms) {
    int64_t day = local(at_ms) / kScheduleDayMs;
    if (day != day_) {
        day_ = day;
        calls_today_ = 0;
    }
    calls_today_ += calls;
}

// The plan spends the budget on average; a day that would go over all the same (music all day,
// many boosts) reads at the ceilings for the rest of it, from when the calls so far and the
// ceiling's reads to midnight reach the budget.
double PollSchedule::daily_cap() const {
    return static_cast<double>(polling_.daily_budget) * (1.0 - pace_.margin) -
           pace_.unseen_calls_per_day;
}

void PollSchedule::use_local_time(std::function<int64_t(int64_t)> utc_offset_ms) {
    utc_offset_ = std::move(utc_offset_ms);
}

void PollSchedule::restore_habits(ListeningHabits habits) {
    habits_ = std::move(habits);
    if (habits_.kept_in_utc()) {
        // Learned before the hours were local: moved by the offset at the time it was kept.
        const int64_t at = std::max<int64_t>(0, habits_.last_seen_ms());
        habits_.move_to_local_hours(static_cast<int>((local(at) - at) / kScheduleHourMs));
    }
    replan_at_ms_ = -1;  // the next read plans with what was kept
    planned_revision_ = -1;
}

// The idle schedule's reads for the week ahead from what is known now: the budget less what the
// account spends otherwise (playing reads, lists, per-item reads, tails and boosts: all measured
// as they happen) and what the schedule cannot see.
void PollSchedule::replan(int64_t at_ms) {
    const double budget = static_cast<double>(polling_.daily_budget);
    double spent_elsewhere = habits_.spent_per_day(budget / 2);  // a guess until a day is seen
    double per_day = budget * (1.0 - pace_.margin) - pace_.unseen_calls_per_day - spent_elsewhere;
    int64_t ceiling = std::max(polling_.idle_interval_s, polling_.paused_interval_s) * 1000LL;
    const WeekHours rates = habits_.start_rates();
    const WeekHours shares = habits_.paced_shares();
    // The reads come out a little off what a plan predicts (tails and boosts cut into paced
    // hours, hour boundaries): the days so far show by how much, and this plan allows for it.
    double bias = 1.0;
    if (replan_at_ms_ >= 0 && habits_.paced_per_day() > 0) {
        double predicted = quiet_reads_per_week(quiet_intervals_, shares) / 7.0;
        if (predicted > 0) bias = std::clamp(habits_.paced_per_day() / predicted, 0.8, 1.25);
    }
    quiet_intervals_ = plan_quiet_intervals(rates, shares, std::max(0.0, per_day) / bias,
                                            pace_.floor_ms, ceiling, pace_.exponent);
    replan_at_ms_ = at_ms + kReplanEveryMs;
    planned_revision_ = habits_.starts_revision();
}

PollSchedule::Pace PollSchedule::pace_at(int64_t at_ms, PlayerState state) const {
    if (state == PlayerState::Playing) return Pace::Playing;
    if (at_ms < boost_until_ms_) return Pace::Boost;
    if (quiet_since_ms_ >= 0 && at_ms - quiet_since_ms_ < pace_.tail_ms) return Pace::Tail;
    return Pace::Habits;
}

int64_t PollSchedule::quiet_interval_at(int64_t at_ms, PlayerState state) const {
    int64_t ceiling =
        (state == PlayerState::Paused ? polling_.paused_interval_s : polling_.idle_interval_s) *
        1000LL;
    const int64_t slowest = std::max(polling_.idle_interval_s, polling_.paused_interval_s) * 1000LL;
    const int64_t local_at = local(at_ms);
    const double to_midnight = static_cast<double>(kScheduleDayMs - local_at % kScheduleDayMs);
    bool spent_today = local_at / kScheduleDayMs == day_ &&
                       calls_today_ + to_midnight / static_cast<double>(slowest) >= daily_cap();
    int64_t planned =
        replan_at_ms_ < 0 || spent_today ? slowest : quiet_intervals_[hour_of_week(local_at)];
    switch (pace_at(at_ms, state)) {
        // Asked for, and the likeliest minutes of all: both are read even on a day over budget
        // (measured, the budget is kept on average all the same).
        case Pace::Boost:
            return kBoostIntervalMs;
        case Pace::Tail:
            return std::min(pace_.tail_interval_ms, planned);
        case Pace::Playing:
        case Pace::Habits:
            break;
    }
    return std::min(planned, ceiling);
}

int64_t PollSchedule::interval_ms() const {
    if (last_state_ == PlayerState::Playing) return polling_.playing_interval_s * 1000LL;
    return quiet_interval_at(std::max<int64_t>(0, last_read_ms_), last_state_);
}

// The next quiet read; when it would fall into the next hour, that hour's pace also decides (a
// long wait at 6:59 must not skip the first minutes of a busy 7 o'clock).
int64_t PollSchedule::quiet_next_read_at() const {
    int64_t next = last_read_ms_ + quiet_interval_at(last_read_ms_, last_state_);
    const int64_t local_read = local(last_read_ms_);
    int64_t hour_end =
        last_read_ms_ + (local_read / kScheduleHourMs + 1) * kScheduleHourMs - local_read;
    if (next > hour_end) next = std::min(next, hour_end + quiet_interval_at(hour_end, last_state_));
    return next;
}

int64_t PollSchedule::next_read_at() const {
    if (!has_read()) return 0;
    const int64_t interval = interval_ms();
    int64_t next =
        last_state_ == PlayerState::Playing ? last_read_ms_ + interval : quiet_next_read_at();
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
