// How far apart to read an account while it is not playing, hour by hour of the week, so that a
// start is seen soonest on average within a number of reads (docs/configuration.md#polling). Pure.
//
// Reading every T ms an hour in which starts come at rate λ sees a start T/2 late on average and
// costs 1/T reads per ms: the mean delay over the week, Σ λ·T/2 per quiet hour, is least for a
// given number of reads when T is proportional to 1/√λ (a Lagrange multiplier gives it at once).
// The constant is found by bisection, for each day of the week on its own, so that every day's
// reads match the daily allowance; floor and ceiling bound every hour, so no hour is blind for
// long and none reads faster than useful.
#pragma once

#include <array>
#include <cstdint>

#include "core/ListeningHabits.h"

namespace s2m {

using WeekIntervals = std::array<int64_t, kHoursPerWeek>;

// `rates`: starts per quiet hour (the interval goes as rate^-exponent); `quiet_shares`: how much of
// each hour is quiet (the hours that cost reads); `reads_per_day`: the allowance. Every interval is
// in [floor_ms, ceiling_ms].
WeekIntervals plan_quiet_intervals(const WeekHours& rates, const WeekHours& quiet_shares,
                                   double reads_per_day, int64_t floor_ms, int64_t ceiling_ms,
                                   double exponent = 0.5);

// The reads a week of `intervals` costs over the quiet hours.
double quiet_reads_per_week(const WeekIntervals& intervals, const WeekHours& quiet_shares);

}  // namespace s2m
