// live_day_bench --population: days of listening_day_bench's simulated population
// (model/Population.h: the same seed, the same draws) played live to the real bridge, which
// starts with the listening habits it would have learned by then: the bridge's own schedule
// (core/PollSchedule, as listening_day_bench runs it) over every day before, kept in the file the
// daemon reads. Then the report: listening_day_bench's rows for the live bridge next to the model
// on exactly the same slice of the same days, and whether they agree within 20 %.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/Config.h"
#include "core/ListeningHabits.h"
#include "core/PollSchedule.h"
#include "model/HabitsReport.h"
#include "model/Policies.h"
#include "model/Population.h"

namespace s2m::bench {

inline constexpr int64_t kLiveDayMs = 24LL * 3600 * 1000;

struct LiveAccount {
    std::string name;              // the bridge's account name, e.g. "commuter1"
    std::string label;             // as listening_day_bench names it, e.g. "commuter 1"
    std::vector<PlannedDay> days;  // day 0 up to the day played live (the last)
    const PlannedDay& live() const { return days.back(); }
};

// The first `count` accounts of listening_day_bench's run (`per_type` accounts of each type,
// `total_days` days from `seed`), one of each type in turn (commuter 1, home office 1, evenings 1,
// occasional 1, commuter 2, …), with their days up to `day`.
std::vector<LiveAccount> population_accounts(uint32_t seed, int per_type, int total_days, int count,
                                             int day);

// The first moment at or after `from_ms` (minute steps) when no account plays or is paused, so
// the bridge can start with every player idle; -1 when there is none before `latest_ms`.
int64_t all_idle_from(const std::vector<LiveAccount>& accounts, int64_t from_ms, int64_t latest_ms);

// The schedule for `account`, run over every day before the live one as listening_day_bench runs
// it (one schedule through the days); the live day starts at `live_day_start_ms` on its clock.
ListeningHabits learned_habits(const LiveAccount& account, int64_t live_day_start_ms,
                               const PollingConfig& polling, const FeaturesConfig& features,
                               const QuietPace& pace);

// Home Assistant's model (run_home_assistant) counted from `from_ms` to `to_ms` only.
DayRun home_assistant_slice(const ListeningDay& day, int64_t from_ms, int64_t to_ms);

// The changes that happened from `from_ms` to `to_ms`.
std::vector<Seen> in_slice(const std::vector<Seen>& seen, int64_t from_ms, int64_t to_ms);

// A live slice and what the bench saw of it.
struct LiveSlice {
    uint32_t seed = 0;
    int day = 0;  // 1 is the first Monday
    double speed = 1;
    int playing_s = 0;  // polling.playing_interval_s
    int64_t from_ms = 0, to_ms = 0;
    int64_t day_start_ms = 0;  // the live day's midnight on the bridge's clock
    const std::vector<LiveAccount>* accounts = nullptr;
    const std::vector<ListeningHabits>* habits = nullptr;  // what each account started with
    std::vector<DayRun> live_calls;                        // per account, in the slice
    std::vector<std::vector<Seen>> live_seen;              // per account, changes in the slice
    std::string footnote;                                  // what the bench says about its own run
};

// The model of account `index`'s slice: a fresh schedule with the habits the bridge started
// with, as the bridge did.
DayRun model_slice(const LiveSlice& slice, size_t index);

// The report: one row per axis of listening_day_bench, live next to the model of the same slice
// and Home Assistant's model, the live/model ratio and whether it is within 20 %, then the calls
// by kind.
void print_population_report(const LiveSlice& slice);

}  // namespace s2m::bench
