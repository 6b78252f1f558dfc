#include "model/LivePopulation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "model/Policies.h"
#include "model/PopulationRun.h"

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

}  // namespace

DayRun model_slice(const LiveSlice& slice, size_t index) {
    PollingConfig polling;
    polling.playing_interval_s = slice.playing_s;
    const FeaturesConfig features;  // the bridge's defaults: every read on
    PollSchedule schedule = bridge_schedule(polling, features);
    schedule.restore_habits((*slice.habits)[index]);
    return run_bridge_slice((*slice.accounts)[index].live().day, schedule, slice.day_start_ms,
                            slice.from_ms, slice.to_ms, features);
}

void print_population_report(const LiveSlice& slice) {
    const int64_t from = slice.from_ms, to = slice.to_ms;
    const auto& accounts = *slice.accounts;
    const int count = static_cast<int>(accounts.size());
    Axes live, model, ha;
    DayTotals live_calls("spotify2mqtt, live"), model_calls("spotify2mqtt, model"),
        ha_calls("Home Assistant, model");
    for (size_t a = 0; a < accounts.size(); ++a) {
        const ListeningDay& day = accounts[a].live().day;
        const std::vector<bool>& off = accounts[a].live().off_habit;
        live.add(slice.live_calls[a], slice.live_seen[a], off);
        live_calls.add(slice.live_calls[a], slice.live_seen[a], count);
        DayRun bridge_model = model_slice(slice, a);
        std::vector<Seen> modelled = in_slice(staleness(day, bridge_model), from, to);
        model.add(bridge_model, modelled, off);
        model_calls.add(bridge_model, modelled, count);
        DayRun ha_run = home_assistant_slice(day, from, to);
        std::vector<Seen> ha_seen = in_slice(staleness(day, ha_run), from, to);
        ha.add(ha_run, ha_seen, off);
        ha_calls.add(ha_run, ha_seen, count);
    }
    // Where listening_day_bench puts the same day (model/PopulationRun.h), to say how far the
    // hours of the week moved.
    const int64_t listening_day_start = kFirstDayMs + (slice.day - 1) * kLiveDayMs;
    const int64_t week = 7 * kLiveDayMs;
    const double shift_h =
        static_cast<double>(((slice.day_start_ms - listening_day_start) % week + week) % week) /
        3.6e6;
    std::string who;
    for (const LiveAccount& account : accounts) who += (who.empty() ? "" : ", ") + account.label;
    const double hours = static_cast<double>(to - from) / 3.6e6;
    std::printf(
        "Listening habits, live: day %d of listening_day_bench's population (seed %u, 3 accounts "
        "x 4 types x 56 days), accounts %s, from %02lld:%02lld for %.2f h of the day; the real "
        "bridge (polling %d s playing, the learned quiet schedule) started with the habits it "
        "learned over days 1-%d (the model's core schedule over those days, written to "
        "state_dir/habits/<account>.json); both clocks at %gx; mosquitto with set_tcp_nodelay.\n"
        "The model column runs the same code from the same habits over the same slice. The days "
        "sit on the bridge's clock (it starts at the real time): hours of the week are %.1f h "
        "later than listening_day_bench's Monday-first days, for the model here too. Calls per "
        "day are the slice's scaled to 24 h (a slice of the listening hours costs more than a "
        "whole day).\n\n",
        slice.day, slice.seed, who.c_str(), static_cast<long long>(from / 3600000),
        static_cast<long long>(from / 60000 % 60), hours, slice.playing_s, slice.day - 1,
        slice.speed, shift_h);
    bool agrees = print_live_agreement(live, model, ha, hours);
    std::printf("\n");
    print_calls_table({&live_calls, &model_calls, &ha_calls});
    double excess_s = stats_of(live.playback).mean_s - stats_of(model.playback).mean_s;
    std::printf(
        "\n(calls in the slice, per account.) %s\nAt %gx every millisecond of real delay (a "
        "read's round trip, the bridge's loop, MQTT delivery) is %g ms of the day: live staleness "
        "during playback exceeds the model's by %.2f s of the day, %.1f ms of real time.\n\nLive "
        "and model agree within 20 %% on every row with changes on both sides: %s\n",
        slice.footnote.c_str(), slice.speed, slice.speed, excess_s, excess_s * 1000.0 / slice.speed,
        agrees ? "yes" : "NO");
}

}  // namespace s2m::bench
