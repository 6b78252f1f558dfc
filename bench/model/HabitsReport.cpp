#include "model/HabitsReport.h"

#include <algorithm>
#include <cstdio>

namespace s2m::bench {

void Axes::add(const DayRun& run, const std::vector<Seen>& seen,
               const std::vector<bool>& off_habit_sessions) {
    calls += static_cast<double>(run.total());
    ++days;
    day_calls.push_back(static_cast<double>(run.total()));
    for (const Seen& s : seen) {
        if (s.during_playback) {
            playback.push_back(s.staleness_ms);
            continue;
        }
        if (s.kind != ChangeKind::Resume) continue;
        starts.push_back(s.staleness_ms);
        bool off = s.session >= 0 && static_cast<size_t>(s.session) < off_habit_sessions.size() &&
                   off_habit_sessions[s.session];
        (off ? off_habit : usual).push_back(s.staleness_ms);
        (s.from_idle ? from_idle : resumes).push_back(s.staleness_ms);
    }
}

namespace {

void row(const char* what, const std::vector<int64_t>& ours, const std::vector<int64_t>& ha,
         const char* goal, double limit) {
    Stats a = stats_of(ours), b = stats_of(ha);
    double ratio = b.mean_s > 0 ? a.mean_s / b.mean_s : 0;
    std::printf("| %-44s | %6.2f / %6.1f s | %6.2f / %6.1f s | %4.2f | %-8s | %-4s | %6zu |\n",
                what, a.mean_s, a.p99_s, b.mean_s, b.p99_s, ratio, goal,
                limit <= 0 ? "" : (ratio <= limit ? "yes" : "NO"), a.count);
}

}  // namespace

bool print_group(const Group& g, double budget) {
    double ours_calls = g.ours.days ? g.ours.calls / g.ours.days : 0;
    double ha_calls = g.ha.days ? g.ha.calls / g.ha.days : 0;
    std::printf("\n#### %s (%d account-days)\n\n", g.name.c_str(), g.ours.days);
    std::printf(
        "| axis (mean / p99)                            |     spotify2mqtt |   Home "
        "Assistant | ratio | goal     | met  |      n |\n");
    std::printf("|---|---:|---:|---:|---|---|---:|\n");
    double calls_ratio = ha_calls > 0 ? ours_calls / ha_calls : 0;
    std::printf("| %-44s | %16.0f | %16.0f | %4.2f | %-8s | %-4s | %6d |\n",
                "API calls per account and day", ours_calls, ha_calls, calls_ratio, "<= 1",
                calls_ratio <= 1.0 ? "yes" : "NO", g.ours.days);
    row("changes during playback: staleness", g.ours.playback, g.ha.playback, "<= 1/3", 1.0 / 3.0);
    row("playback started while not playing: seen after", g.ours.starts, g.ha.starts, "<= 1", 1.0);
    row("  … in the account's usual hours", g.ours.usual, g.ha.usual, "<= 1/2", 0.5);
    row("  … off-habit (random hours)", g.ours.off_habit, g.ha.off_habit, "", 0);
    row("  … from idle (session starts)", g.ours.from_idle, g.ha.from_idle, "", 0);
    row("  … resumes after a pause", g.ours.resumes, g.ha.resumes, "", 0);
    const auto& days = g.ours.day_calls;
    int over = 0;
    double over_by = 0;
    for (double c : days)
        if (c > budget) ++over, over_by += c / budget - 1.0;
    double worst = days.empty() ? 0 : *std::max_element(days.begin(), days.end());
    std::printf(
        "\nDays over the budget of %.0f calls: %d of %zu, by %.0f %% on average (the most in a "
        "day: %.0f).\n",
        budget, over, days.size(), over ? 100.0 * over_by / over : 0.0, worst);
    auto mean = [](const std::vector<int64_t>& v) { return stats_of(v).mean_s; };
    return calls_ratio <= 1.0 && mean(g.ours.playback) <= mean(g.ha.playback) / 3.0 &&
           mean(g.ours.starts) <= mean(g.ha.starts) && mean(g.ours.usual) <= mean(g.ha.usual) / 2;
}

}  // namespace s2m::bench
