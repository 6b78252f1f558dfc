// A simulated listening day (bench/model/ListeningDay.h) polled by the bridge's own schedule
// (core/PollSchedule, the code the daemon runs) and by a model of Home Assistant's integration,
// on exactly the same days. Prints API calls and how long each kind of change went unseen.
//
// Only the polling decisions are simulated here (a day takes milliseconds); live_day_bench plays
// such days on the fake Spotify to the real bridge, and footprint_bench and command_bench
// measure what a read or a command takes on the real broker.
//
//   listening_day_bench [--days N] [--seed S] [--playing S] [--paused S] [--idle S] [--no-queue]
//                       [--no-liked] [--no-recent] [--no-top]
// (--playing/--paused/--idle: the bridge's polling.*_interval_s, to see what another setting
// costs and gains against the same days; --no-queue, --no-liked, --no-recent, --no-top: with
// features.queue, .liked, .recent or .top off)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "model/DayReport.h"
#include "model/Targets.h"

using namespace s2m;
using namespace s2m::bench;

namespace {

double per_hour(const DayRun& run, int64_t length_ms) {
    return static_cast<double>(run.total()) * 3600000.0 / static_cast<double>(length_ms);
}

}  // namespace

int main(int argc, char** argv) {
    int days = 50;
    uint32_t seed = 1;
    PollingConfig polling;  // the defaults: 10 / 30 / 60 s
    const PollingConfig defaults;
    FeaturesConfig features;  // the defaults: every read on
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
        } else if (!std::strcmp(argv[i], "--no-queue")) {
            features.queue = false;
        } else if (!std::strcmp(argv[i], "--no-liked")) {
            features.liked = false;
        } else if (!std::strcmp(argv[i], "--no-recent")) {
            features.recent = false;
        } else if (!std::strcmp(argv[i], "--no-top")) {
            features.top = false;
        } else {
            std::fprintf(stderr,
                         "usage: listening_day_bench [--days N] [--seed S] [--playing S] "
                         "[--paused S] [--idle S] [--no-queue] [--no-liked] [--no-recent] "
                         "[--no-top]\n");
            return 2;
        }
    }
    bool is_default = polling.playing_interval_s == defaults.playing_interval_s &&
                      polling.paused_interval_s == defaults.paused_interval_s &&
                      polling.idle_interval_s == defaults.idle_interval_s;
    DayShape shape;
    DayTotals ours("spotify2mqtt"), ha("Home Assistant");
    double playing_h = 0;
    for (int d = 0; d < days; ++d) {
        ListeningDay day(shape, seed + static_cast<uint32_t>(d));
        playing_h += static_cast<double>(day.playing_ms()) / 3600000.0 / days;
        DayRun bridge = run_bridge(day, polling, features);
        ours.add(bridge, staleness(day, bridge), days);
        DayRun home_assistant = run_home_assistant(day);
        ha.add(home_assistant, staleness(day, home_assistant), days);
    }

    std::printf(
        "Listening day, simulated: %d days from seed %u, %.2f h of music per day, the "
        "rest paused or idle; bridge polling %d/%d/%d s (%s), queue reads %s, library checks "
        "%s, recently played %s, top items %s\n\n",
        days, seed, playing_h, polling.playing_interval_s, polling.paused_interval_s,
        polling.idle_interval_s, is_default ? "defaults" : "not the defaults",
        features.queue ? "on" : "off", features.liked ? "on" : "off",
        features.recent ? "on" : "off", features.top ? "on" : "off");
    print_calls_table({&ours, &ha});
    std::printf("\n");
    print_staleness_table({&ours, &ha});

    std::printf("\n| API calls per account-hour | spotify2mqtt | Home Assistant |\n");
    std::printf("|---|---:|---:|\n");
    const int64_t hour = 3600000;
    for (PlayerState state : {PlayerState::Playing, PlayerState::Paused, PlayerState::Idle}) {
        ListeningDay steady = ListeningDay::steady(state, hour);
        std::printf("| %-26s | %12.0f | %14.0f |\n", to_string(state),
                    per_hour(run_bridge(steady, polling, features), hour),
                    per_hour(run_home_assistant(steady), hour));
    }

    Stats ours_playback = ours.playback();
    Stats ha_playback = ha.playback();
    std::printf("\n");
    print_target("API calls per day (simulated listening day)", format("%.0f", ours.total()),
                 "<= Home Assistant", format("%.0f", ha.total()), ours.total() <= ha.total());
    double ratio = ha_playback.mean_s > 0 ? ours_playback.mean_s / ha_playback.mean_s : 0.0;
    print_target("mean staleness of changes during playback",
                 format("%.2f s (ratio %.2f)", ours_playback.mean_s, ratio), "<= 1/3 of HA",
                 format("%.2f s", ha_playback.mean_s), ratio <= 1.0 / 3.0);
    return 0;
}
