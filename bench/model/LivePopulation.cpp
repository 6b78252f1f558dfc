#include "model/LivePopulation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "model/Policies.h"

namespace s2m::bench {

namespace {

std::string account_name(const std::string& type, int index) {
    std::string name;
    for (char c : type)
        if (c != ' ') name += c;
    return name + std::to_string(index);
}

}  // namespace

std::vector<LiveAccount> population_accounts(uint32_t seed, int per_type, int total_days, int count,
                                             int day) {
    // The draws in listening_day_bench's order (model/PopulationRun.cpp): per type, per account,
    // the persona and then the seed of its days.
    struct Drawn {
        Persona persona;
        uint32_t days_seed;
    };
    std::vector<std::vector<Drawn>> by_type;
    std::mt19937 master(seed);
    for (const char* type : kPersonaTypes) {
        by_type.emplace_back();
        for (int a = 0; a < per_type; ++a) {
            Persona persona = draw_persona(type, master);
            by_type.back().push_back(Drawn{persona, static_cast<uint32_t>(master())});
        }
    }
    const int types = static_cast<int>(std::size(kPersonaTypes));
    if (count > types * per_type) throw std::invalid_argument("more accounts than the run has");
    if (day < 0 || day >= total_days) throw std::invalid_argument("no such day in the run");
    const int change_day = total_days / 2;
    std::vector<LiveAccount> out;
    for (int i = 0; i < count; ++i) {
        const Drawn& drawn = by_type[i % types][i / types];
        LiveAccount account;
        account.name = account_name(drawn.persona.type, i / types + 1);
        account.label = drawn.persona.type + " " + std::to_string(i / types + 1);
        std::mt19937 random(drawn.days_seed);
        for (int d = 0; d <= day; ++d)
            account.days.push_back(plan_day(drawn.persona, d, d >= change_day, random));
        out.push_back(std::move(account));
    }
    return out;
}

int64_t all_idle_from(const std::vector<LiveAccount>& accounts, int64_t from_ms,
                      int64_t latest_ms) {
    for (int64_t at = from_ms; at <= latest_ms; at += 60000) {
        bool idle = std::all_of(accounts.begin(), accounts.end(), [at](const LiveAccount& a) {
            const ListeningDay& day = a.live().day;
            return day.segments()[day.segment_at(at)].state == PlayerState::Idle;
        });
        if (idle) return at;
    }
    return -1;
}

ListeningHabits learned_habits(const LiveAccount& account, int64_t live_day_start_ms,
                               const PollingConfig& polling, const FeaturesConfig& features,
                               const QuietPace& pace) {
    PollSchedule schedule = bridge_schedule(polling, features, pace);
    const auto live_day = static_cast<int64_t>(account.days.size()) - 1;
    for (int64_t d = 0; d < live_day; ++d) {
        int64_t start = live_day_start_ms - (live_day - d) * kLiveDayMs;
        run_bridge(account.days[d].day, schedule, start, features);
    }
    return schedule.habits();
}

DayRun home_assistant_slice(const ListeningDay& day, int64_t from_ms, int64_t to_ms) {
    DayRun whole = run_home_assistant(day);
    DayRun run;
    for (int64_t at : whole.reads)
        if (at >= from_ms && at < to_ms) run.reads.push_back(at);
    for (int64_t at : whole.list_calls)
        if (at >= from_ms && at < to_ms) run.list_calls.push_back(at);
    run.player_calls = static_cast<int64_t>(run.reads.size());
    run.device_calls = static_cast<int64_t>(run.list_calls.size());  // its only other read
    run.token_calls = (to_ms - from_ms + 3599999) / 3600000;
    return run;
}

std::vector<Seen> in_slice(const std::vector<Seen>& seen, int64_t from_ms, int64_t to_ms) {
    std::vector<Seen> out;
    for (const Seen& s : seen)
        if (s.at_ms >= from_ms && s.at_ms < to_ms) out.push_back(s);
    return out;
}

namespace {

// One axis: the three policies' mean / p99, live / model, and whether that is within 20 %.
// Returns false when both sides have changes and disagree.
bool agreement_row(const char* what, const std::vector<int64_t>& live,
                   const std::vector<int64_t>& model, const std::vector<int64_t>& ha) {
    Stats l = stats_of(live), m = stats_of(model), h = stats_of(ha);
    bool comparable = l.count > 0 && m.count > 0 && m.mean_s > 0;
    double ratio = comparable ? l.mean_s / m.mean_s : 0;
    bool agrees = comparable && std::fabs(ratio - 1.0) <= 0.2;
    std::printf(
        "| %-44s | %6.2f / %6.1f s | %6.2f / %6.1f s | %6.2f / %6.1f s | %5.2f | %-4s | "
        "%3zu / %3zu |\n",
        what, l.mean_s, l.p99_s, m.mean_s, m.p99_s, h.mean_s, h.p99_s, ratio,
        comparable ? (agrees ? "yes" : "NO") : "n/a", l.count, m.count);
    return agrees || !comparable;
}

}  // namespace

bool print_live_agreement(const Axes& live, const Axes& model, const Axes& ha, double slice_hours) {
    auto per_day = [slice_hours](const Axes& a) {
        return a.days > 0 && slice_hours > 0 ? a.calls / a.days * 24.0 / slice_hours : 0.0;
    };
    std::printf(
        "| axis (mean / p99)                            |  spotify2mqtt, live |  spotify2mqtt, "
        "model | Home Assistant, model | live / model | within 20 %% | n live / model |\n");
    std::printf("|---|---:|---:|---:|---:|---|---:|\n");
    double l = per_day(live), m = per_day(model), h = per_day(ha);
    double ratio = m > 0 ? l / m : 0;
    bool calls_agree = m > 0 && std::fabs(ratio - 1.0) <= 0.2;
    std::printf("| %-44s | %17.0f | %17.0f | %17.0f | %5.2f | %-4s | %3d / %3d |\n",
                "API calls per account and day (from the slice)", l, m, h, ratio,
                calls_agree ? "yes" : "NO", live.days, model.days);
    bool all = calls_agree;
    all &= agreement_row("changes during playback: staleness", live.playback, model.playback,
                         ha.playback);
    all &= agreement_row("playback started while not playing: seen after", live.starts,
                         model.starts, ha.starts);
    all &= agreement_row("  … in the account's usual hours", live.usual, model.usual, ha.usual);
    all &= agreement_row("  … off-habit (random hours)", live.off_habit, model.off_habit,
                         ha.off_habit);
    all &= agreement_row("  … from idle (session starts)", live.from_idle, model.from_idle,
                         ha.from_idle);
    all &= agreement_row("  … resumes after a pause", live.resumes, model.resumes, ha.resumes);
    return all;
}

}  // namespace s2m::bench
