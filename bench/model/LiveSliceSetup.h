// Setting up live_day_bench --population's slice before the bridge starts (docs/comparison.md):
// which part of the day to play, where that day sits on the bridge's clock, and the habits file
// each account starts with, so the bridge's first poll already follows what it would have learned.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "core/ListeningHabits.h"
#include "model/LivePopulation.h"
#include "support/TempDir.h"

namespace s2m::bench {

struct SliceBounds {
    int64_t from_ms = 0, to_ms = 0;  // time of day
};

// From the first minute at or after hour `from_h` when every account is idle (as the fake's new
// users are, so the bridge starts with what the day has) for `hours`, within a day of `day_ms`;
// throws when no such minute comes before the day's last hour.
SliceBounds choose_slice(const std::vector<LiveAccount>& accounts, double from_h, double hours,
                         int64_t day_ms);

// The live day's midnight on the bridge's clock, when the bridge starts at `launch_unix_ms`
// (its clock then starts at the real time), `lead` of real time before the slice begins at
// `from_ms` of the day, and runs `speed` times faster than real time.
int64_t live_day_midnight(int64_t launch_unix_ms, std::chrono::duration<double, std::milli> lead,
                          double speed, int64_t from_ms);

// Learns each account's habits over its days before the live one (which starts at
// `day_start_ms` on the bridge's clock) and writes them to `state_dir`/habits/<account>.json,
// the file the daemon reads; answers them as the bridge reads them back, for the model.
std::vector<ListeningHabits> write_learned_habits(const std::vector<LiveAccount>& accounts,
                                                  int64_t day_start_ms, int playing_s,
                                                  const test::TempDir& state_dir);

}  // namespace s2m::bench
