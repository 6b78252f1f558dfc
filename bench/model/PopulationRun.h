// The population benchmark (bench/listening_day_bench.cpp): every account of bench/model/
// Population.h polled day after day by the bridge's schedule (learning as it goes) and by Home
// Assistant's model, the report per account type, overall and for the first week, and the calls
// per hour of one week as CSV.
#pragma once

#include <cstdint>

#include "config/Config.h"
#include "core/PollSchedule.h"

namespace s2m::bench {

// Monday 2026-01-05 00:00 UTC: the simulated days start on a Monday (hour 0 of the week).
inline constexpr int64_t kFirstDayMs = 1767571200000;

// Prints the report; returns 0 when the three goals hold overall, 1 otherwise. `csv`: where to
// write the calls per hour (nullptr: nowhere).
int population_report(int days, uint32_t seed, int accounts_per_type, const PollingConfig& polling,
                      const FeaturesConfig& features, const QuietPace& pace, const char* csv);

}  // namespace s2m::bench
