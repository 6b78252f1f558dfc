#include "core/QuietPlan.h"

#include <algorithm>
#include <cmath>

namespace s2m {

namespace {

constexpr double kMsPerHour = 3600.0 * 1000.0;
constexpr double kMinRate = 1e-4;  // starts per hour: an hour that never sees one is not "never"
constexpr int kHoursPerDay = 24;

// The intervals of one day (hours `first` to `first + 23`) for a scale.
void intervals_for(double scale, int first, const WeekHours& rates, int64_t floor_ms,
                   int64_t ceiling_ms, double exponent, WeekIntervals& out) {
    for (int w = first; w < first + kHoursPerDay; ++w) {
        double ideal = scale / std::pow(std::max(kMinRate, rates[w]), exponent);
        out[w] = static_cast<int64_t>(
            std::clamp(ideal, static_cast<double>(floor_ms), static_cast<double>(ceiling_ms)));
    }
}

double reads_of_day(int first, const WeekIntervals& intervals, const WeekHours& shares) {
    double reads = 0;
    for (int w = first; w < first + kHoursPerDay; ++w)
        reads += shares[w] * kMsPerHour / static_cast<double>(std::max<int64_t>(1, intervals[w]));
    return reads;
}

}  // namespace

double quiet_reads_per_week(const WeekIntervals& intervals, const WeekHours& quiet_shares) {
    double reads = 0;
    for (int first = 0; first < kHoursPerWeek; first += kHoursPerDay)
        reads += reads_of_day(first, intervals, quiet_shares);
    return reads;
}

WeekIntervals plan_quiet_intervals(const WeekHours& rates, const WeekHours& quiet_shares,
                                   double reads_per_day, int64_t floor_ms, int64_t ceiling_ms,
                                   double exponent) {
    ceiling_ms = std::max(ceiling_ms, floor_ms);
    WeekIntervals out{};
    for (int first = 0; first < kHoursPerWeek; first += kHoursPerDay) {
        auto reads_at = [&](double scale) {
            intervals_for(scale, first, rates, floor_ms, ceiling_ms, exponent, out);
            return reads_of_day(first, out, quiet_shares);
        };
        // The scale at which every hour sits at the floor, and at which every hour sits at the
        // ceiling: the answer is between (reads fall as the scale grows).
        double low = static_cast<double>(floor_ms) * std::pow(kMinRate, exponent);
        double busiest =
            *std::max_element(rates.begin() + first, rates.begin() + first + kHoursPerDay);
        double high =
            static_cast<double>(ceiling_ms) * std::pow(std::max(kMinRate, busiest), exponent);
        if (reads_at(low) <= reads_per_day) continue;  // every hour at the floor fits
        for (int i = 0; i < 50 && high > low * 1.0001; ++i) {
            double middle = std::sqrt(low * high);  // bisection on a log scale
            (reads_at(middle) > reads_per_day ? low : high) = middle;
        }
        reads_at(high);
    }
    return out;
}

}  // namespace s2m
