// When to read an account from Spotify, and what to read (docs/configuration.md#polling). Pure: it
// is told what happened and when, and answers with times, so the same code runs in the bridge and
// in the listening-day simulation of bench/.
//
// The policy, cheapest first:
//  - while playing, the player is read every polling.playing_interval_s, and the reads up to the
//    predicted end of the track are spaced evenly (never further apart than the interval) so that
//    one lands just after the end: a natural track change is seen within about half a second at
//    no extra cost;
//  - while paused or idle, the reads follow the account's listening habits (core/
//    ListeningHabits.h, learned from these very reads): often in the hours it usually starts
//    music, rarely when it never does (core/QuietPlan.h), so that everything the bridge reads by
//    itself stays within polling.daily_budget calls a day; never further apart than
//    polling.paused_interval_s / idle_interval_s, never closer than a floor (QuietPace). For
//    ten minutes after playback paused or stopped the reads come every 8 s (people resume), and
//    until a boost ends (boost_until) every kBoostIntervalMs;
//  - commands ask for confirmations (a read at a given time), on top;
//  - the device list is read along with a player read every 5 minutes while something is active
//    and every 15 minutes while idle, and at the next read when asked (a device the bridge does
//    not know, `get`, a command that named an unknown device); the playlists every 30 minutes and
//    when asked;
//  - never two reads closer than kMinPollGapMs, except a read the bridge starts on purpose (it
//    calls the read itself; the schedule only says when the next routine one is due).
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "config/Config.h"
#include "core/ListeningHabits.h"
#include "core/PlaybackState.h"
#include "core/QuietPlan.h"

namespace s2m {

// How long after the predicted end of a track to ask: Spotify needs a moment to switch.
inline constexpr int64_t kTrackEndMarginMs = 400;
// Never poll sooner than this after the last read, whatever the prediction says.
inline constexpr int64_t kMinPollGapMs = 1000;
inline constexpr int64_t kDevicesActiveEveryMs = 5 * 60 * 1000;
inline constexpr int64_t kDevicesIdleEveryMs = 15 * 60 * 1000;
inline constexpr int64_t kPlaylistsEveryMs = 30 * 60 * 1000;
// While a boost runs (set/boost, docs/mqtt-commands.md#boost), idle and paused reads come at
// least this often.
inline constexpr int64_t kBoostIntervalMs = 5000;

// How the reads are paced while paused or idle. The defaults are the shipped ones, chosen with
// bench/listening_day_bench (docs/configuration.md#polling); the bench tries others.
struct QuietPace {
    int64_t floor_ms = 4000;  // never closer than this on habits alone
    // After playback paused or stopped, for this long (about as long as Spotify keeps a paused
    // player before it forgets it) …
    int64_t tail_ms = 10 * 60 * 1000;
    int64_t tail_interval_ms = 8000;  // … read this often (people resume)
    // The interval in an hour goes as (starts per hour)^-exponent: 0.5 gives the least mean
    // delay over all starts (core/QuietPlan.h); more favours the usual hours.
    double exponent = 0.7;
    // Calls the schedule never sees, set aside from the budget: token refreshes (24 a day), the
    // profile, playlist names, recently played and other occasional reads.
    double unseen_calls_per_day = 80;
    double margin = 0.01;  // of the budget, kept in hand against estimates that come out low
};

// The wait before reading again after `failures` failed reads in a row (≥ 1): 4 s, 8 s, … up to
// 5 min, spread by ±25 % with `unit_random` in [0, 1), so accounts that failed together (a
// Spotify outage) do not all come back in the same second.
int64_t failure_backoff_ms(int failures, double unit_random);

// What a player read should also fetch.
struct PollExtras {
    bool devices = false;
    bool playlists = false;
};

class PollSchedule {
  public:
    // `calls_per_item`: reads made once per new item played (the queue, the library check).
    explicit PollSchedule(PollingConfig polling = {}, int calls_per_item = 0, QuietPace pace = {});

    // The player was read at `at_ms` (when the request went out) and showed `state`.
    void player_read(const PlaybackState& state, int64_t at_ms);
    void devices_read(int64_t at_ms);
    void playlists_read(int64_t at_ms);

    // Read the list with the next player read, and make that read come soon.
    void request_devices() { devices_requested_ = true; }
    void request_playlists() { playlists_requested_ = true; }
    // A read at this time, to confirm what a command did.
    void confirm_at(int64_t at_ms);
    // Read fast while paused or idle (every kBoostIntervalMs) until `until_ms`, for automations
    // that know someone is about to listen (set/boost). The reads count against the budget. A
    // later call replaces the earlier one, so a time in the past ends a boost (`boost 0`).
    void boost_until(int64_t until_ms);
    int64_t boosted_until() const { return boost_until_ms_; }
    // Calls the account made that the schedule cannot see otherwise (they count in the budget).
    void calls_made(double calls, int64_t at_ms);

    // Count the hours of the account's week, and its days for the budget, in local time:
    // `utc_offset_ms` says how far local time is ahead of UTC at a time (ports/Clock.h). Without
    // it, UTC. Set it before restore_habits: habits kept in UTC hours (an older file) are moved
    // to local hours then.
    void use_local_time(std::function<int64_t(int64_t)> utc_offset_ms);

    // What was learned of the account's habits (to keep it across restarts), and putting back
    // what was kept.
    const ListeningHabits& habits() const { return habits_; }
    void restore_habits(ListeningHabits habits);

    // When the next routine player read is due (Unix ms; 0 before the first read).
    int64_t next_read_at() const;
    // What a player read starting at `at_ms` should also fetch.
    PollExtras extras(int64_t at_ms) const;

    // The interval the last seen state asks for at the last read, without track ends or
    // confirmations.
    int64_t interval_ms() const;
    // The paused/idle interval for a read at `at_ms` in `state` (boost, tail or habits).
    int64_t quiet_interval_at(int64_t at_ms, PlayerState state) const;
    bool has_read() const { return last_read_ms_ >= 0; }

  private:
    enum class Pace { Playing, Tail, Boost, Habits };
    Pace pace_at(int64_t at_ms, PlayerState state) const;
    void replan(int64_t at_ms);
    void count_call(double calls, int64_t at_ms);
    double daily_cap() const;
    int64_t quiet_next_read_at() const;
    int64_t local(int64_t at_ms) const { return utc_offset_ ? at_ms + utc_offset_(at_ms) : at_ms; }

    PollingConfig polling_;
    std::function<int64_t(int64_t)> utc_offset_;
    int calls_per_item_ = 0;
    QuietPace pace_;
    ListeningHabits habits_;
    WeekIntervals quiet_intervals_{};
    int64_t replan_at_ms_ = -1;
    int64_t planned_revision_ = -1;
    int64_t quiet_since_ms_ = -1;  // the first read that saw playback paused or stopped
    int64_t boost_until_ms_ = -1;
    int64_t day_ = -1;  // the local day the calls below were made in
    double calls_today_ = 0;
    std::string last_item_;
    int64_t last_read_ms_ = -1;
    PlayerState last_state_ = PlayerState::Idle;
    int64_t track_end_at_ms_ = -1;  // predicted end of the playing track, -1 when unknown
    std::set<int64_t> confirmations_;
    int64_t devices_read_ms_ = -1;
    int64_t playlists_read_ms_ = -1;
    bool devices_requested_ = true;  // both lists are read with the first read
    bool playlists_requested_ = true;
};

}  // namespace s2m
