// A listening day played live: the real bridge binary against a real mosquitto and the fake
// Spotify on loopback, both clocks sped up (SPOTIFY2MQTT_BENCH_TIME_SCALE and the fake's clock),
// one simulated day per account (bench/model/ListeningDay.h). The fake ends tracks by itself; the
// bench makes every skip, pause, resume, device and volume change "from a phone" at its moment.
//
// It counts every API call the bridge made (the fake's request log) and times every change from
// the moment it happened to the first state on MQTT that shows it. In the same run, on the same
// days, it models the bridge's own schedule (core/PollSchedule, as listening_day_bench does) and
// Home Assistant's integration, so the live figures stand next to both.
//
//   build/bin/live_day_bench [--accounts 5] [--speed 60] [--seed 1] [--playing S] [--changes]
//                            [--population [--day D] [--from H] [--hours H]]
// --playing S runs the bridge (and its model) with polling.playing_interval_s = S.
// A day takes 24 h / speed: 24 minutes at the default 60x.
// --population plays day D (1-56, default 22) of the first --accounts accounts of
// listening_day_bench's population (seed 20261206 unless --seed, one of each type in turn) from
// hour H (the first minute from then when every player is idle) for --hours hours, the bridge
// starting with the habits learned over the days before (model/LivePopulation.h).
//
// This file holds the options, the run's outline and the reports. The pieces with a job of their
// own are in model/: the simulated day's clock (DayClock.h), the bridge's calls read from the
// fake's request log (CallLog.h), the changes made on time and what MQTT showed of them
// (LiveChanges.h), and the --population slice's setup (LiveSliceSetup.h).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "BridgeWorld.h"
#include "model/BenchAccounts.h"
#include "model/CallLog.h"
#include "model/DayClock.h"
#include "model/DayOnFake.h"
#include "model/DayReport.h"
#include "model/LiveChanges.h"
#include "model/LivePopulation.h"
#include "model/LiveSliceSetup.h"
#include "model/Targets.h"
#include "support/TempDir.h"

using namespace s2m;
using namespace s2m::test;
using namespace s2m::bench;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    int accounts = 5;
    double speed = 60;
    uint32_t seed = 1;
    int playing_s = PollingConfig{}.playing_interval_s;  // polling.playing_interval_s to run
    bool list_changes = false;  // every change with its live and modelled staleness, to stderr
    bool population = false;    // days of listening_day_bench's population, with learned habits
    bool seed_given = false;
    int day = 22;       // the population's day to play (1 is the first Monday)
    double from_h = 0;  // the slice of it: from this hour …
    double hours = 24;  // … for this long
};

// listening_day_bench's reported population run: its seed, accounts per type and days.
constexpr uint32_t kPopulationSeed = 20261206;
constexpr int kPopulationPerType = 3;
constexpr int kPopulationDays = 56;
// The bridge starts this long (real time) before the slice: time to read every account once.
constexpr auto kLead = 10s;

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--accounts" && i + 1 < argc) {
            o.accounts = std::clamp(std::stoi(argv[++i]), 1, 100);
        } else if (arg == "--speed" && i + 1 < argc) {
            o.speed = std::clamp(std::stod(argv[++i]), 1.0, 1000.0);
        } else if (arg == "--seed" && i + 1 < argc) {
            o.seed = static_cast<uint32_t>(std::stoul(argv[++i]));
            o.seed_given = true;
        } else if (arg == "--population") {
            o.population = true;
        } else if (arg == "--day" && i + 1 < argc) {
            o.day = std::clamp(std::stoi(argv[++i]), 1, kPopulationDays);
        } else if (arg == "--from" && i + 1 < argc) {
            o.from_h = std::clamp(std::stod(argv[++i]), 0.0, 23.0);
        } else if (arg == "--hours" && i + 1 < argc) {
            o.hours = std::clamp(std::stod(argv[++i]), 0.25, 24.0);
        } else if (arg == "--playing" && i + 1 < argc) {
            o.playing_s = std::clamp(std::stoi(argv[++i]), 1, 3600);
        } else if (arg == "--changes") {
            o.list_changes = true;
        } else {
            std::fprintf(stderr,
                         "usage: live_day_bench [--accounts 5] [--speed 60] [--seed 1] "
                         "[--playing S] [--changes] [--population [--day D] [--from H] "
                         "[--hours H]]\n");
            std::exit(arg == "--help" ? 0 : 64);
        }
    }
    if (o.population && !o.seed_given) o.seed = kPopulationSeed;
    if (o.population) o.accounts = std::min(o.accounts, kPopulationPerType * 4);
    return o;
}

// One line per change: when, what, how long it stayed unseen live and in the model, and when
// the bridge read the player around it (seconds from the change), to explain the slow ones.
void list_changes(const std::string& account, const std::vector<Seen>& live,
                  const std::vector<Seen>& model, const std::vector<CallLog::Call>& calls) {
    std::map<int64_t, int64_t> modelled;
    for (const Seen& s : model) modelled[s.at_ms] = s.staleness_ms;
    for (const Seen& s : live) {
        auto m = modelled.find(s.at_ms);
        std::string reads;
        for (const auto& call : calls) {
            int64_t from_change = call.at_ms - s.at_ms;
            if (call.kind == "player" && from_change > -12000 && from_change <= s.staleness_ms)
                reads += format(" %+.1f", static_cast<double>(from_change) / 1000.0);
        }
        std::fprintf(stderr, "%s %9.1f s %-24s live %6.2f s  model %6.2f s  reads%s\n",
                     account.c_str(), static_cast<double>(s.at_ms) / 1000.0, to_string(s.kind),
                     static_cast<double>(s.staleness_ms) / 1000.0,
                     m == modelled.end() ? -1.0 : static_cast<double>(m->second) / 1000.0,
                     reads.c_str());
    }
}

// What the bench plays: one day per account, and the slice of it (all of it but with
// --population).
struct Plan {
    std::deque<ListeningDay> days;  // stable addresses for DayOnFake
    std::vector<DayOnFake> plays;
    std::vector<std::string> names;
    std::vector<LiveAccount> population;  // with --population
    int64_t from_ms = 0, to_ms = 0;
};

void make_plan(const Options& options, Plan& plan) {
    const DayShape shape;
    plan.to_ms = shape.day_ms;
    if (!options.population) {
        for (int i = 0; i < options.accounts; ++i) {
            plan.days.emplace_back(shape, options.seed + static_cast<uint32_t>(i));
            plan.names.push_back("day" + std::to_string(i));
        }
    } else {
        plan.population = population_accounts(options.seed, kPopulationPerType, kPopulationDays,
                                              options.accounts, options.day - 1);
        SliceBounds slice =
            choose_slice(plan.population, options.from_h, options.hours, shape.day_ms);
        plan.from_ms = slice.from_ms;
        plan.to_ms = slice.to_ms;
        for (const LiveAccount& account : plan.population) {
            plan.days.push_back(account.live().day);
            plan.names.push_back(account.name);
        }
    }
    for (size_t i = 0; i < plan.days.size(); ++i)
        plan.plays.emplace_back(plan.days[i], plan.names[i]);
}

// The figures of the old report: one day of the fixed shape per account, live and modelled.
void print_day_report(const Options& options, const Plan& plan, const SeenOnMqtt& live_seen,
                      CallLog& log) {
    const auto& seen = live_seen.seen;
    PollingConfig polling;
    polling.playing_interval_s = options.playing_s;
    DayTotals live("spotify2mqtt, live"), model("spotify2mqtt, model"), ha("Home Assistant, model");
    StateHours live_hours;
    const int count = options.accounts;
    for (size_t a = 0; a < plan.plays.size(); ++a) {
        const ListeningDay& day = plan.plays[a].day();
        DayRun bridge_model = run_bridge(day, polling);
        std::vector<Seen> modelled = staleness(day, bridge_model);
        const auto& calls = log.by_user[plan.names[a]];
        if (options.list_changes) list_changes(plan.names[a], seen[a], modelled, calls);
        live.add(calls_in_day(calls, 0, day.length_ms()), seen[a], count);
        live_hours.add(day, calls);
        model.add(bridge_model, modelled, count);
        DayRun ha_model = run_home_assistant(day);
        ha.add(ha_model, staleness(day, ha_model), count);
    }
    std::printf(
        "Listening day, live: %d accounts, one simulated day each (seeds %u..%u), the real "
        "bridge polling every %d s while playing%s against the fake Spotify, both clocks at "
        "%gx; mosquitto with set_tcp_nodelay\n\n",
        count, options.seed, options.seed + count - 1, options.playing_s,
        options.playing_s == PollingConfig{}.playing_interval_s ? " (the default)" : "",
        options.speed);
    print_calls_table({&live, &model, &ha});
    std::printf("\n");
    print_staleness_table({&live, &model, &ha});
    std::printf("\n| API calls per account-hour | spotify2mqtt, live | Home Assistant, model |\n");
    std::printf("|---|---:|---:|\n");
    for (PlayerState state : {PlayerState::Playing, PlayerState::Paused, PlayerState::Idle}) {
        const int64_t hour = 3600000;
        DayRun steady = run_home_assistant(ListeningDay::steady(state, hour));
        std::printf("| %-26s | %18.0f | %21.0f |\n", to_string(state), live_hours.per_hour(state),
                    static_cast<double>(steady.total()));
    }
    std::printf(
        "\n%zu states published during the day, %zu of them matched no moment of it; the "
        "bench sent changes at most %.1f ms (real) late, taken off the staleness.\n\n",
        live_seen.published, live_seen.unmatched,
        static_cast<double>(live_seen.worst_late_ms) / options.speed);

    Stats ours = live.playback(), theirs = ha.playback();
    print_target("API calls per day (live listening day)", format("%.0f", live.total()),
                 "<= Home Assistant", format("%.0f", ha.total()), live.total() <= ha.total());
    double mean_ratio = theirs.mean_s > 0 ? ours.mean_s / theirs.mean_s : 0;
    double p99_ratio = theirs.p99_s > 0 ? ours.p99_s / theirs.p99_s : 0;
    print_target("mean staleness during playback (live day)",
                 format("%.2f s (ratio %.2f)", ours.mean_s, mean_ratio), "<= 1/3 of HA",
                 format("%.2f s", theirs.mean_s), mean_ratio <= 1.0 / 3.0);
    print_target("p99 staleness during playback (live day)",
                 format("%.2f s (ratio %.2f)", ours.p99_s, p99_ratio), "<= 1/3 of HA",
                 format("%.2f s", theirs.p99_s), p99_ratio <= 1.0 / 3.0);
}

// The population report (model/LivePopulation.h), with --changes the list of changes first.
void population_report(const Options& options, const Plan& plan, const SeenOnMqtt& live_seen,
                       CallLog& log, const std::vector<ListeningHabits>& habits,
                       int64_t day_start_ms) {
    const auto& seen = live_seen.seen;
    std::string footnote = format(
        "%zu states published in the slice, %zu matched no moment of it; the "
        "bench sent changes at most %.1f ms (real) late, taken off the staleness.",
        live_seen.published, live_seen.unmatched,
        static_cast<double>(live_seen.worst_late_ms) / options.speed);
    LiveSlice slice{options.seed, options.day,  options.speed,    options.playing_s, plan.from_ms,
                    plan.to_ms,   day_start_ms, &plan.population, &habits,           {},
                    {},           footnote};
    for (size_t a = 0; a < plan.plays.size(); ++a) {
        const auto& calls = log.by_user[plan.names[a]];
        slice.live_calls.push_back(calls_in_day(calls, plan.from_ms, plan.to_ms));
        slice.live_seen.push_back(in_slice(seen[a], plan.from_ms, plan.to_ms));
        if (options.list_changes) {
            const ListeningDay& day = plan.plays[a].day();
            DayRun model = model_slice(slice, a);
            list_changes(plan.names[a], slice.live_seen[a],
                         in_slice(staleness(day, model), plan.from_ms, plan.to_ms), calls);
        }
    }
    print_population_report(slice);
}

}  // namespace

int main(int argc, char** argv) {
    Options options = parse_options(argc, argv);
    try {
        Plan plan;
        make_plan(options, plan);
        const auto& plays = plan.plays;
        const auto& names = plan.names;

        // set_tcp_nodelay, as docs/mqtt.md recommends: the broker adds no delay of its own.
        BridgeWorld world(MosquittoOptions{.tcp_nodelay = true});
        world.fake.set_clock_speed(options.speed);
        for (const DayOnFake& play : plays) world.fake.create_user(play.user_spec());
        BridgeOptions bridge;
        bridge.mqtt_url = world.broker.url();
        bridge.api_url = world.fake.api_url();
        bridge.accounts_url = world.fake.accounts_url();
        bridge.config_overrides = {{"accounts", accounts_over_apps(world.fake, names)},
                                   {"log_level", "warning"},
                                   {"polling", Json{{"playing_interval_s", options.playing_s}}}};
        // TZ=UTC: the bridge counts its habits' hours in local time, the model in UTC
        // (docs/configuration.md#polling); on a machine with another zone they would differ.
        bridge.env = {{"SPOTIFY2MQTT_BENCH_TIME_SCALE", format("%g", options.speed)},
                      {"TZ", "UTC"}};

        // With --population the bridge starts at a planned moment, kLead before the slice: its
        // clock then starts at the real time, so the bench knows where the simulated days sit
        // on it (to a few ms of real time), learns the habits on those days and writes them
        // where the daemon reads them.
        TempDir state("s2m-live-state");
        std::vector<ListeningHabits> habits;
        int64_t day_start_ms = 0;  // the live day's midnight on the bridge's clock
        const Clock::time_point launch = Clock::now() + 3s;
        if (options.population) {
            using namespace std::chrono;
            int64_t launch_unix =
                duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() + 3000;
            day_start_ms = live_day_midnight(launch_unix, kLead, options.speed, plan.from_ms);
            habits = write_learned_habits(plan.population, day_start_ms, options.playing_s, state);
            bridge.config_overrides["state_dir"] = state.path().string();
            if (Clock::now() > launch)
                throw std::runtime_error("learning the habits took too long");
            std::this_thread::sleep_until(launch);
        }
        world.bridge = std::make_unique<BridgeUnderTest>(bridge);
        for (const std::string& name : names) {
            if (!world.wait_state(
                    name, [](const Json& s) { return s["state"] == "idle"; }, 30s))
                throw std::runtime_error("no first state for " + name + "\n" + world.bridge_log());
        }
        if (options.population && Clock::now() > launch + kLead)
            throw std::runtime_error("the accounts came up after the slice began\n" +
                                     world.bridge_log());
        // adapters/store/FileHabitsStore says so when it drops a file it cannot use.
        if (options.population && world.bridge_log().find("is not usable") != std::string::npos)
            throw std::runtime_error("the bridge did not take the habits\n" + world.bridge_log());

        // The slice begins (at midnight without --population): every account idle, the
        // bridge polling at its own pace.
        const Clock::time_point slice_start = options.population ? launch + kLead : Clock::now();
        DayClock clock{slice_start - std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double, std::milli>(
                                             static_cast<double>(plan.from_ms) / options.speed)),
                       options.speed};
        std::this_thread::sleep_until(slice_start);
        std::fprintf(
            stderr, "live_day_bench: %d accounts, %.2f h of a day each at %gx: %.1f minutes\n",
            options.accounts, static_cast<double>(plan.to_ms - plan.from_ms) / 3.6e6, options.speed,
            static_cast<double>(plan.to_ms - plan.from_ms) / 60000.0 / options.speed);
        CallLog log;
        CallLogDrainer drainer(log, world.fake, clock);
        auto lateness = make_changes_on_time(world.fake, plays, clock, plan.from_ms, plan.to_ms);
        std::this_thread::sleep_until(clock.real(plan.to_ms));
        drainer.stop();

        SeenOnMqtt seen =
            seen_on_mqtt(world.probe, plays, names, clock, lateness, plan.from_ms, plan.to_ms);
        world.bridge->process().terminate_and_wait();
        if (options.population) {
            population_report(options, plan, seen, log, habits, day_start_ms);
        } else {
            print_day_report(options, plan, seen, log);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "live_day_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
