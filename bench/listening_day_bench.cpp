// A simulated listening day (bench/model/ListeningDay.h) polled by the bridge's own schedule
// (core/PollSchedule, the code the daemon runs) and by a model of Home Assistant's integration,
// on exactly the same days. Prints API calls and how long each kind of change went unseen.
//
// Only the polling decisions are simulated here (a day takes milliseconds); what a read costs in
// time on the real broker and fake Spotify is measured by freshness_bench and command_bench.
//
//   listening_day_bench [--days N] [--seed S] [--playing S] [--paused S] [--idle S]
// (--playing/--paused/--idle: the bridge's polling.*_interval_s, to see what another setting
// costs and gains against the same days)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "model/Policies.h"
#include "model/Targets.h"

using namespace s2m;
using namespace s2m::bench;

namespace {

struct Stats {
    double mean_s = 0;
    double p99_s = 0;
    size_t count = 0;
};

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

// One policy's figures over all simulated days (calls are per day).
struct Totals {
    double player = 0, devices = 0, playlists = 0, tokens = 0;
    std::map<ChangeKind, std::vector<int64_t>> staleness;
    std::map<ChangeKind, bool> during_playback;  // the kind happened while music played
    std::vector<int64_t> playback_all;           // every change while music played
    double total() const { return player + devices + playlists + tokens; }
};

void add_day(Totals& totals, const ListeningDay& day, const DayRun& run, int days) {
    totals.player += static_cast<double>(run.player_calls) / days;
    totals.devices += static_cast<double>(run.device_calls) / days;
    totals.playlists += static_cast<double>(run.playlist_calls) / days;
    totals.tokens += static_cast<double>(run.token_calls) / days;
    for (const Seen& seen : staleness(day, run)) {
        totals.staleness[seen.kind].push_back(seen.staleness_ms);
        totals.during_playback[seen.kind] |= seen.during_playback;
        if (seen.during_playback) totals.playback_all.push_back(seen.staleness_ms);
    }
}

double per_hour(const DayRun& run, int64_t length_ms) {
    return static_cast<double>(run.total()) * 3600000.0 / static_cast<double>(length_ms);
}

void staleness_row(const std::string& name, const Stats& ours, const Stats& ha) {
    double ratio = ha.mean_s > 0 ? ours.mean_s / ha.mean_s : 0.0;
    std::printf("| %-36s | %5.2f / %5.2f | %5.2f / %5.2f | %4.2f | %5zu |\n", name.c_str(),
                ours.mean_s, ours.p99_s, ha.mean_s, ha.p99_s, ratio, ours.count);
}

void calls_row(const char* name, double ours, double ha) {
    std::printf("| %-26s | %12.0f | %14.0f |\n", name, ours, ha);
}

}  // namespace

int main(int argc, char** argv) {
    int days = 50;
    uint32_t seed = 1;
    PollingConfig polling;  // the defaults: 10 / 30 / 60 s
    const PollingConfig defaults;
    for (int i = 1; i < argc; ++i) {
        auto seconds = [&] { return std::clamp(std::atoi(argv[++i]), 1, 3600); };
        if (!std::strcmp(argv[i], "--days") && i + 1 < argc) {
            days = std::max(1, std::atoi(argv[++i]));
        } else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) {
            seed = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 10));
        } else if (!std::strcmp(argv[i], "--playing") && i + 1 < argc) {
            polling.playing_interval_s = seconds();
        } else if (!std::strcmp(argv[i], "--paused") && i + 1 < argc) {
            polling.paused_interval_s = seconds();
        } else if (!std::strcmp(argv[i], "--idle") && i + 1 < argc) {
            polling.idle_interval_s = seconds();
        } else {
            std::fprintf(stderr,
                         "usage: listening_day_bench [--days N] [--seed S] [--playing S] "
                         "[--paused S] [--idle S]\n");
            return 2;
        }
    }
    bool is_default = polling.playing_interval_s == defaults.playing_interval_s &&
                      polling.paused_interval_s == defaults.paused_interval_s &&
                      polling.idle_interval_s == defaults.idle_interval_s;
    DayShape shape;
    Totals ours, ha;
    double playing_h = 0;
    for (int d = 0; d < days; ++d) {
        ListeningDay day(shape, seed + static_cast<uint32_t>(d));
        playing_h += static_cast<double>(day.playing_ms()) / 3600000.0 / days;
        add_day(ours, day, run_bridge(day, polling), days);
        add_day(ha, day, run_home_assistant(day), days);
    }

    std::printf(
        "Listening day, simulated: %d days from seed %u, %.2f h of music per day, the "
        "rest paused or idle; bridge polling %d/%d/%d s (%s)\n\n",
        days, seed, playing_h, polling.playing_interval_s, polling.paused_interval_s,
        polling.idle_interval_s, is_default ? "defaults" : "not the defaults");
    std::printf("| API calls per day (mean)   | spotify2mqtt | Home Assistant |\n");
    std::printf("|---|---:|---:|\n");
    calls_row("player reads", ours.player, ha.player);
    calls_row("device list reads", ours.devices, ha.devices);
    calls_row("playlist reads", ours.playlists, ha.playlists);
    calls_row("token refreshes", ours.tokens, ha.tokens);
    calls_row("total", ours.total(), ha.total());

    std::printf(
        "\n| staleness, s: mean / p99              | spotify2mqtt  | Home Assistant | "
        "ratio | n     |\n");
    std::printf("|---|---:|---:|---:|---:|\n");
    for (bool playing : {true, false}) {
        for (ChangeKind kind : kAllKinds) {
            if (ours.during_playback[kind] != playing) continue;
            std::string name = std::string(playing ? "" : "(not playing) ") + to_string(kind);
            staleness_row(name, stats_of(ours.staleness[kind]), stats_of(ha.staleness[kind]));
        }
        if (playing) {
            staleness_row("**every change during playback**", stats_of(ours.playback_all),
                          stats_of(ha.playback_all));
        }
    }

    std::printf("\n| API calls per account-hour | spotify2mqtt | Home Assistant |\n");
    std::printf("|---|---:|---:|\n");
    const int64_t hour = 3600000;
    for (PlayerState state : {PlayerState::Playing, PlayerState::Paused, PlayerState::Idle}) {
        ListeningDay steady = ListeningDay::steady(state, hour);
        calls_row(to_string(state), per_hour(run_bridge(steady, polling), hour),
                  per_hour(run_home_assistant(steady), hour));
    }

    Stats ours_playback = stats_of(ours.playback_all);
    Stats ha_playback = stats_of(ha.playback_all);
    std::printf("\n");
    print_target("API calls per day (simulated listening day)", format("%.0f", ours.total()),
                 "<= Home Assistant", format("%.0f", ha.total()), ours.total() <= ha.total());
    double ratio = ha_playback.mean_s > 0 ? ours_playback.mean_s / ha_playback.mean_s : 0.0;
    print_target("mean staleness of changes during playback",
                 format("%.2f s (ratio %.2f)", ours_playback.mean_s, ratio), "<= 1/3 of HA",
                 format("%.2f s", ha_playback.mean_s), ratio <= 1.0 / 3.0);
    return 0;
}
