// When to read an account from Spotify, and what to read (docs/configuration.md#polling). Pure: it
// is told what happened and when, and answers with times, so the same code runs in the bridge and
// in the listening-day simulation of bench/.
//
// The policy, cheapest first:
//  - the player is read at the configured interval for the state it was last seen in (playing,
//    paused, idle); while playing, the reads up to the predicted end of the track are spaced
//    evenly (never further apart than the interval) so that one lands just after the end: a
//    natural track change is seen within about half a second at no extra cost;
//  - commands ask for confirmations (a read at a given time), on top;
//  - the device list is read along with a player read every 5 minutes while something is active
//    and every 15 minutes while idle, and at the next read when asked (a device the bridge does
//    not know, `get`, a command that named an unknown device); the playlists every 30 minutes and
//    when asked;
//  - never two reads closer than kMinPollGapMs, except a read the bridge starts on purpose (it
//    calls the read itself; the schedule only says when the next routine one is due).
#pragma once

#include <cstdint>
#include <set>

#include "config/Config.h"
#include "core/PlaybackState.h"

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
    explicit PollSchedule(PollingConfig polling = {});

    // The player was read at `at_ms` (when the request went out) and showed `state`.
    void player_read(const PlaybackState& state, int64_t at_ms);
    void devices_read(int64_t at_ms);
    void playlists_read(int64_t at_ms);

    // Read the list with the next player read, and make that read come soon.
    void request_devices() { devices_requested_ = true; }
    void request_playlists() { playlists_requested_ = true; }
    // A read at this time, to confirm what a command did.
    void confirm_at(int64_t at_ms);
    // An automation's hint that playback may start soon (set/boost): until `until_ms`, idle and
    // paused reads are at most kBoostIntervalMs apart. A later call replaces the earlier one, so
    // a time in the past ends a boost.
    void boost_until(int64_t until_ms) { boost_until_ms_ = until_ms; }

    // When the next routine player read is due (Unix ms; 0 before the first read).
    int64_t next_read_at() const;
    // What a player read starting at `at_ms` should also fetch.
    PollExtras extras(int64_t at_ms) const;

    // The interval the last seen state asks for, without track ends or confirmations.
    int64_t interval_ms() const;
    bool has_read() const { return last_read_ms_ >= 0; }

  private:
    PollingConfig polling_;
    int64_t last_read_ms_ = -1;
    PlayerState last_state_ = PlayerState::Idle;
    int64_t track_end_at_ms_ = -1;  // predicted end of the playing track, -1 when unknown
    std::set<int64_t> confirmations_;
    int64_t devices_read_ms_ = -1;
    int64_t playlists_read_ms_ = -1;
    bool devices_requested_ = true;  // both lists are read with the first read
    bool playlists_requested_ = true;
    int64_t boost_until_ms_ = -1;
};

}  // namespace s2m
