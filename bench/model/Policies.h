// Two ways to poll one account through a ListeningDay: the bridge's own PollSchedule (the code
// the daemon runs) and a model of Home Assistant's Spotify integration. Each gives the times it
// read the player and what it spent; staleness is measured the same way for both.
#pragma once

#include <cstdint>
#include <vector>

#include "config/Config.h"
#include "core/PollSchedule.h"
#include "model/ListeningDay.h"

namespace s2m::bench {

// Home Assistant's integration as described in its issue: GET /me/player every 30 s, sooner at
// the end of a track (modelled as 1 s after the predicted end), and the device list every
// 5 minutes on its own schedule.
inline constexpr int64_t kHaIntervalMs = 30000;
inline constexpr int64_t kHaTrackEndDelayMs = 1000;
inline constexpr int64_t kHaDevicesEveryMs = 5 * 60000;

struct DayRun {
    std::vector<int64_t> reads;       // when the player was read, in order
    std::vector<int64_t> list_calls;  // when the other reads went out (lists, queue, library)
    int64_t player_calls = 0;
    int64_t device_calls = 0;
    int64_t playlist_calls = 0;
    int64_t queue_calls = 0;   // up next (core/UpNext.h): one per item that starts playing
    int64_t liked_calls = 0;   // liked (core/Liked.h): one library check per item shown
    int64_t recent_calls = 0;  // recent (core/Listening.h): at most one per 10 min of playing
    int64_t top_calls = 0;     // top (core/Listening.h): two when online, then two a day
    int64_t token_calls = 0;   // access tokens live an hour: one refresh per hour for both
    int64_t other_calls = 0;   // the live bridge only: profile, playlist names, library
    int64_t total() const {
        return player_calls + device_calls + playlist_calls + queue_calls + liked_calls +
               recent_calls + top_calls + token_calls + other_calls;
    }
};

// `features`: which reads beyond the player's the bridge makes (features.queue, .liked, .recent,
// .top).
DayRun run_bridge(const ListeningDay& day, const PollingConfig& polling,
                  const FeaturesConfig& features = {});
// One day of many with the same schedule (what it learned carries over): the day starts at
// `day_start_ms` on the schedule's clock; the run's times are from the day's midnight.
DayRun run_bridge(const ListeningDay& day, PollSchedule& schedule, int64_t day_start_ms,
                  const FeaturesConfig& features = {});
// The same for the part of the day from `from_ms` to `to_ms` only (live_day_bench's slice of a
// day): the reads start at `from_ms` and one token refresh is counted per hour of the slice.
DayRun run_bridge_slice(const ListeningDay& day, PollSchedule& schedule, int64_t day_start_ms,
                        int64_t from_ms, int64_t to_ms, const FeaturesConfig& features = {});
// The schedule the bridge makes for an account with these settings.
PollSchedule bridge_schedule(const PollingConfig& polling, const FeaturesConfig& features = {},
                             const QuietPace& pace = {});
DayRun run_home_assistant(const ListeningDay& day);

struct Seen {
    ChangeKind kind;
    bool during_playback;
    int64_t at_ms;         // when it happened
    int64_t staleness_ms;  // from then to the first read (or state) that showed it
    int session = -1;      // Change::session
    bool from_idle = false;
};
// From `at_ms` on, a policy showed the day as it was in segment `segment` (or a later one).
struct Observation {
    int64_t at_ms;
    size_t segment;
};
// Every change of the day with the first observation that showed it (those still unseen when
// the day ends are left out). `shown` is in time order.
std::vector<Seen> staleness(const ListeningDay& day, const std::vector<Observation>& shown);
// A model's reads show the day as it was at the moment of the read.
std::vector<Seen> staleness(const ListeningDay& day, const DayRun& run);

}  // namespace s2m::bench
