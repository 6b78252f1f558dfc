// The figures of one way of polling over every day of a bench run (API calls per day, how long
// each kind of change went unseen) and the tables that put several side by side. Shared by
// listening_day_bench (simulated policies) and live_day_bench (the real bridge as well).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/Policies.h"

namespace s2m::bench {

struct Stats {
    double mean_s = 0;
    double p99_s = 0;
    size_t count = 0;
};
Stats stats_of(std::vector<int64_t> values_ms);

struct DayTotals {
    std::string name;  // column heading
    // Calls per day, averaged over the days added.
    double player = 0, devices = 0, playlists = 0, queue = 0, liked = 0, tokens = 0, other = 0;
    double recent = 0, top = 0;
    std::map<ChangeKind, std::vector<int64_t>> staleness;
    std::map<ChangeKind, bool> during_playback;  // the kind happened while music played
    std::vector<int64_t> playback_all;           // every change while music played

    explicit DayTotals(std::string heading) : name(std::move(heading)) {}
    double total() const {
        return player + devices + playlists + queue + liked + recent + top + tokens + other;
    }
    // One day's calls (`days`: how many days the run has, for the per-day mean) and changes.
    void add(const DayRun& calls, const std::vector<Seen>& seen, int days);
    Stats playback() const { return stats_of(playback_all); }
};

// "| API calls per day (mean) | a | b |…" with a row per kind of call and the total.
void print_calls_table(const std::vector<const DayTotals*>& columns);
// Mean / p99 staleness per kind of change for each column, the ratio of the first column's mean
// to the last one's (Home Assistant's), and how many changes the first column saw.
void print_staleness_table(const std::vector<const DayTotals*>& columns);

}  // namespace s2m::bench
