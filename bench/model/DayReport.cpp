#include "model/DayReport.h"

#include <algorithm>
#include <cstdio>

namespace s2m::bench {

Stats stats_of(std::vector<int64_t> values) {
    Stats s;
    s.count = values.size();
    if (values.empty()) return s;
    std::sort(values.begin(), values.end());
    double sum = 0;
    for (int64_t v : values) sum += static_cast<double>(v);
    s.mean_s = sum / static_cast<double>(values.size()) / 1000.0;
    size_t index = std::min(values.size() - 1, (values.size() * 99 + 99) / 100 - 1);
    s.p99_s = static_cast<double>(values[index]) / 1000.0;
    return s;
}

void DayTotals::add(const DayRun& calls, const std::vector<Seen>& seen, int days) {
    auto per_day = [days](int64_t n) { return static_cast<double>(n) / days; };
    player += per_day(calls.player_calls);
    devices += per_day(calls.device_calls);
    playlists += per_day(calls.playlist_calls);
    queue += per_day(calls.queue_calls);
    liked += per_day(calls.liked_calls);
    recent += per_day(calls.recent_calls);
    top += per_day(calls.top_calls);
    tokens += per_day(calls.token_calls);
    other += per_day(calls.other_calls);
    for (const Seen& s : seen) {
        staleness[s.kind].push_back(s.staleness_ms);
        during_playback[s.kind] |= s.during_playback;
        if (s.during_playback) playback_all.push_back(s.staleness_ms);
    }
}

namespace {

void print_header(const char* first, const std::vector<const DayTotals*>& columns,
                  const char* extra) {
    std::printf("| %s |", first);
    for (const DayTotals* c : columns) std::printf(" %s |", c->name.c_str());
    std::printf("%s\n|---|", extra);
    for (size_t i = 0; i < columns.size(); ++i) std::printf("---:|");
    std::printf("%s\n", *extra ? "---:|---:|" : "");
}

void calls_row(const char* what, const std::vector<const DayTotals*>& columns,
               double (*of)(const DayTotals&)) {
    std::printf("| %-26s |", what);
    for (const DayTotals* c : columns) std::printf(" %12.0f |", of(*c));
    std::printf("\n");
}

void staleness_row(const std::string& what, const std::vector<Stats>& stats) {
    std::printf("| %-36s |", what.c_str());
    for (const Stats& s : stats) std::printf(" %5.2f / %5.2f |", s.mean_s, s.p99_s);
    double last = stats.back().mean_s;
    std::printf(" %4.2f | %5zu |\n", last > 0 ? stats.front().mean_s / last : 0.0,
                stats.front().count);
}

}  // namespace

void print_calls_table(const std::vector<const DayTotals*>& columns) {
    print_header("API calls per day (mean)  ", columns, "");
    calls_row("player reads", columns, [](const DayTotals& c) { return c.player; });
    calls_row("device list reads", columns, [](const DayTotals& c) { return c.devices; });
    calls_row("playlist reads", columns, [](const DayTotals& c) { return c.playlists; });
    calls_row("queue reads (up next)", columns, [](const DayTotals& c) { return c.queue; });
    calls_row("library checks (liked)", columns, [](const DayTotals& c) { return c.liked; });
    calls_row("recently played reads", columns, [](const DayTotals& c) { return c.recent; });
    calls_row("top items reads", columns, [](const DayTotals& c) { return c.top; });
    calls_row("token refreshes", columns, [](const DayTotals& c) { return c.tokens; });
    bool any_other = std::any_of(columns.begin(), columns.end(),
                                 [](const DayTotals* c) { return c->other > 0; });
    if (any_other) {
        calls_row("other (names, profile)", columns, [](const DayTotals& c) { return c.other; });
    }
    calls_row("total", columns, [](const DayTotals& c) { return c.total(); });
}

void print_staleness_table(const std::vector<const DayTotals*>& columns) {
    print_header("staleness, s: mean / p99            ", columns, " ratio | n |");
    const DayTotals& first = *columns.front();
    for (bool playing : {true, false}) {
        for (ChangeKind kind : kAllKinds) {
            auto known = first.during_playback.find(kind);
            if (known == first.during_playback.end() || known->second != playing) continue;
            std::vector<Stats> stats;
            for (const DayTotals* c : columns) {
                auto values = c->staleness.find(kind);
                stats.push_back(values == c->staleness.end() ? Stats{} : stats_of(values->second));
            }
            staleness_row(std::string(playing ? "" : "(not playing) ") + to_string(kind), stats);
        }
        if (playing) {
            std::vector<Stats> stats;
            for (const DayTotals* c : columns) stats.push_back(c->playback());
            staleness_row("**every change during playback**", stats);
        }
    }
}

}  // namespace s2m::bench
