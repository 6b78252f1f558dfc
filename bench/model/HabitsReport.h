// The figures of the learned idle schedule against Home Assistant's on a simulated population
// (bench/listening_day_bench.cpp): the three axes per group of account-days.
#pragma once

#include <string>
#include <vector>

#include "model/DayReport.h"

namespace s2m::bench {

// One policy's figures over some account-days.
struct Axes {
    double calls = 0;  // summed over days
    int days = 0;
    std::vector<double> day_calls;   // each day's calls, to count the days over the budget
    std::vector<int64_t> playback;   // staleness of changes while music played
    std::vector<int64_t> starts;     // playback started while not playing: seen after
    std::vector<int64_t> usual;      // … in a habitual session
    std::vector<int64_t> off_habit;  // … in a session at a random hour
    std::vector<int64_t> from_idle;  // … after Spotify had forgotten the player
    std::vector<int64_t> resumes;    // … after a pause
    // One day: its calls and what it saw; `off_habit[s]`: session s was at a random hour.
    void add(const DayRun& run, const std::vector<Seen>& seen, const std::vector<bool>& off_habit);
};

struct Group {
    std::string name;
    Axes ours, ha;
};

// The table for one group, and how many of our days went over `budget` calls; returns whether
// the three goals hold.
bool print_group(const Group& group, double budget);

}  // namespace s2m::bench
