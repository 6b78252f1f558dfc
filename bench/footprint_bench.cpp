// Footprint and reaction bench: the real bridge binary against a real mosquitto and the fake
// Spotify on loopback. Prints a table of
//   - memory (VmHWM = peak RSS, VmRSS, RssAnon = the pages it has written), threads
//     and CPU (% of one core over 20 s of steady playing with the default poll intervals and
//     pace) with 1, 10, 100 and 500 linked accounts, five to a Spotify app,
//   - start-up: bridge spawn → every account's first state on MQTT,
//   - reaction: `<base>/<account>/get` → new state on MQTT after a change made "from a phone",
//   - track ends: predicted end of a track → the next track on MQTT (no extra polling needed),
//   - external change: paused "on a phone" at a random moment → paused on MQTT, by polling only.
//
//   build/bin/footprint_bench [--accounts 1,10,100,500] [--samples 20]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "BridgeWorld.h"
#include "model/BenchAccounts.h"
#include "model/ProcFigures.h"
#include "model/Targets.h"
#include "support/BridgeUnderTest.h"
#include "support/FakeSpotifyClient.h"
#include "support/Mosquitto.h"
#include "support/MqttProbe.h"
#include "support/Paths.h"

using namespace s2m::test;
using namespace s2m::bench;
using namespace std::chrono_literals;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::vector<int> account_counts{1, 10, 100, 500};
    int samples = 20;
};

Options parse_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--accounts" && i + 1 < argc) {
            options.account_counts.clear();
            std::stringstream list(argv[++i]);
            for (std::string item; std::getline(list, item, ',');) {
                options.account_counts.push_back(std::stoi(item));
            }
        } else if (arg == "--samples" && i + 1 < argc) {
            options.samples = std::stoi(argv[++i]);
        } else {
            std::fprintf(stderr,
                         "usage: footprint_bench [--accounts 1,10,100,500] [--samples N]\n");
            std::exit(arg == "--help" ? 0 : 64);
        }
    }
    return options;
}

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

struct Stats {
    double median = 0, p95 = 0, max = 0;
};

Stats stats_of(std::vector<double> values) {
    Stats s;
    if (values.empty()) return s;
    std::sort(values.begin(), values.end());
    s.median = values[values.size() / 2];
    s.p95 = values[std::min(values.size() - 1, values.size() * 95 / 100)];
    s.max = values.back();
    return s;
}

struct World {
    Mosquitto broker;
    FakeSpotifyProcess fake_process;
    FakeSpotifyClient fake{fake_process.base_url()};
    MqttProbe probe{broker.url(), MqttProbeOptions{.subscriptions = {"spotify2mqtt/#"}}};

    // Accounts are spread over Spotify apps of 5 users each, as a development-mode app allows,
    // so each app's rate-limit gate runs at its default pace.
    std::unique_ptr<BridgeUnderTest> start_bridge(int accounts, int64_t track_ms) {
        std::vector<std::string> names;
        for (int i = 0; i < accounts; ++i) {
            names.push_back("user" + std::to_string(i));
            fake.create_user(short_playlist_user(names.back(), track_ms));
        }
        Json list = accounts_over_apps(fake, names);
        BridgeOptions options;
        options.mqtt_url = broker.url();
        options.api_url = fake.api_url();
        options.accounts_url = fake.accounts_url();
        options.config_overrides = {{"accounts", list}, {"log_level", "warning"}};
        options.web = true;  // as users run it: the account page is on by default
        return std::make_unique<BridgeUnderTest>(options);
    }
};

bool is_playing(const Json& s) {
    return s["state"] == "playing";
}

struct Footprint {
    int accounts = 0;
    double rss_mib = 0;
    double anon_mib = 0;
    double cpu_percent = 0;
};

// Memory and start-up with `accounts` accounts; prints one table row.
Footprint footprint_row(int accounts) {
    World world;
    auto started = Clock::now();
    auto bridge = world.start_bridge(accounts, 180000);
    Clock::time_point last_seen = started;
    for (int i = 0; i < accounts; ++i) {
        auto state =
            world.probe.wait_for_json("spotify2mqtt/user" + std::to_string(i), is_playing, 60s);
        if (!state) throw std::runtime_error("no state for user" + std::to_string(i));
        last_seen = std::max(last_seen, state->received_at);
    }
    std::this_thread::sleep_for(5s);  // steady state: a few polls, token refreshes done
    pid_t pid = bridge->process().pid();
    const auto window = 20s;
    double cpu_before = proc_cpu_seconds(pid);
    std::this_thread::sleep_for(window);
    double cpu_percent = (proc_cpu_seconds(pid) - cpu_before) / 20.0 * 100.0;
    Footprint row{accounts, proc_status_value(pid, "VmRSS") / 1024.0,
                  proc_status_value(pid, "RssAnon") / 1024.0, cpu_percent};
    std::printf("| %8d | %9.1f | %9.1f | %11.1f | %7.1f | %7ld | %5.2f | %17.0f |\n", accounts,
                proc_status_value(pid, "VmHWM") / 1024.0, row.rss_mib, row.anon_mib,
                proc_pss_kb(pid) / 1024.0, proc_status_value(pid, "Threads"), cpu_percent,
                ms_between(started, last_seen));
    world.probe.clear();  // hundreds of retained states: free them before the next row
    return row;
}

// `/get` after a change "from a phone" → the changed state on MQTT.
Stats get_reaction(int samples) {
    World world;
    auto bridge = world.start_bridge(1, 600000);
    if (!world.probe.wait_for_json("spotify2mqtt/user0", is_playing, 30s)) {
        throw std::runtime_error("bridge never published a state");
    }
    std::vector<double> values;
    for (int i = 0; i < samples; ++i) {
        int volume = 10 + i;
        world.fake.set_playback("user0", {{"volume", volume}});
        world.probe.clear();
        auto sent = Clock::now();
        world.probe.publish("spotify2mqtt/user0/get", "");
        auto state = world.probe.wait_for_json(
            "spotify2mqtt/user0", [&](const Json& s) { return s["volume"] == volume; }, 10s);
        if (!state) throw std::runtime_error("no state after /get");
        values.push_back(ms_between(sent, state->received_at));
        // A person asks now and then: spaced out, each /get (3 calls: player, devices,
        // playlists) finds the pace's budget refilled instead of queueing behind the last one.
        std::this_thread::sleep_for(2s);
    }
    return stats_of(values);
}

// Predicted end of the playing track → the next track on MQTT.
Stats track_end_lag(int samples) {
    World world;
    const int64_t track_ms = 3000;
    auto bridge = world.start_bridge(1, track_ms);
    auto state = world.probe.wait_for_json("spotify2mqtt/user0", is_playing, 30s);
    std::vector<double> values;
    for (int i = 0; i < samples && state; ++i) {
        Json s = state->json();
        std::string uri = s["track"]["uri"];
        // The state's position was true when it was published (within loopback delays).
        double left_ms = static_cast<double>(s["track"]["duration_ms"].get<int64_t>() -
                                             s["position_ms"].get<int64_t>());
        auto predicted_end = state->received_at + std::chrono::milliseconds(int64_t(left_ms));
        world.probe.clear();
        state = world.probe.wait_for_json(
            "spotify2mqtt/user0",
            [&](const Json& n) { return n["track"].is_object() && n["track"]["uri"] != uri; },
            std::chrono::milliseconds(track_ms * 3));
        if (state) values.push_back(ms_between(predicted_end, state->received_at));
    }
    if (static_cast<int>(values.size()) < samples) throw std::runtime_error("missed track changes");
    return stats_of(values);
}

// Paused "on a phone" at a random moment → the paused state on MQTT, found by polling alone
// (default intervals: the playing state is read every 10 s).
Stats external_change_lag(int samples) {
    World world;
    auto bridge = world.start_bridge(1, 3600000);
    if (!world.probe.wait_for_json("spotify2mqtt/user0", is_playing, 30s)) {
        throw std::runtime_error("bridge never published a state");
    }
    std::mt19937 random(7);
    std::uniform_int_distribution<int> pause_after_ms(0, 10000);
    std::vector<double> values;
    for (int i = 0; i < samples; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(pause_after_ms(random)));
        world.probe.clear();
        auto changed = Clock::now();
        world.fake.set_playback("user0", {{"is_playing", false}});
        auto paused = world.probe.wait_for_json(
            "spotify2mqtt/user0", [](const Json& s) { return s["state"] == "paused"; }, 40s);
        if (!paused) throw std::runtime_error("the pause was never published");
        values.push_back(ms_between(changed, paused->received_at));
        // Playing again (seen at the paused interval, 30 s at most), before the next sample.
        world.fake.set_playback("user0", {{"is_playing", true}});
        world.probe.publish("spotify2mqtt/user0/get", "");
        if (!world.probe.wait_for_json("spotify2mqtt/user0", is_playing, 10s))
            throw std::runtime_error("playing again was never published");
    }
    return stats_of(values);
}

}  // namespace

int main(int argc, char** argv) {
    Options options = parse_options(argc, argv);
    // The bridge runs with the environment the systemd unit and the Docker image give it (both
    // set this; tests/packaging checks they do). GNUTLS_NO_IMPLICIT_INIT=0 measures without.
    setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0);
    try {
        std::printf("spotify2mqtt footprint bench (real mosquitto + fake Spotify on loopback)\n");
        std::printf(
            "bridge environment as in the systemd unit and the image: "
            "GNUTLS_NO_IMPLICIT_INIT=%s\n\n",
            std::getenv("GNUTLS_NO_IMPLICIT_INIT"));
        // RssAnon: every page the bridge has written (heap, stacks, relocated library data),
        // which only it holds. The rest of VmRSS is clean pages of library code that the page
        // cache shares and can reclaim (Debian's libcurl brings OpenSSL, GnuTLS, Kerberos and
        // LDAP along). PSS counts each shared page divided among the processes that map it
        // (here mosquitto, the fake and the bench map libc, libstdc++ and OpenSSL too).
        std::printf(
            "| accounts | VmHWM MiB | VmRSS MiB | RssAnon MiB | PSS MiB | threads | CPU %% | "
            "all states out ms |\n");
        std::printf(
            "|---------:|----------:|----------:|------------:|--------:|--------:|------:|"
            "------------------:|\n");
        std::vector<Footprint> rows;
        for (int accounts : options.account_counts) rows.push_back(footprint_row(accounts));

        std::printf("\n| reaction (%d samples)              | median ms | p95 ms | max ms |\n",
                    options.samples);
        std::printf("|-------------------------------------|----------:|-------:|-------:|\n");
        Stats get = get_reaction(options.samples);
        std::printf("| /get → changed state on MQTT        | %9.1f | %6.1f | %6.1f |\n", get.median,
                    get.p95, get.max);
        int track_samples = std::max(3, options.samples / 4);
        Stats end = track_end_lag(track_samples);
        std::printf("| track end → next track on MQTT (%2d) | %9.1f | %6.1f | %6.1f |\n",
                    track_samples, end.median, end.p95, end.max);
        int pause_samples = std::max(3, options.samples / 2);
        Stats pause = external_change_lag(pause_samples);
        std::printf("| pause on a phone → MQTT, polling (%2d) | %7.1f | %6.1f | %6.1f |\n",
                    pause_samples, pause.median, pause.p95, pause.max);

        std::printf("\n");
        for (const Footprint& row : rows) {
            double limit = row.accounts == 10 ? 15 : row.accounts == 500 ? 60 : 0;
            if (limit > 0) {
                print_target(
                    format("RSS with %d accounts (RssAnon %.1f MiB)", row.accounts, row.anon_mib),
                    format("%.1f MiB", row.rss_mib), format("<= %.0f MiB", limit), "-",
                    row.rss_mib <= limit);
            }
            if (row.accounts == 100) {
                print_target("CPU with 100 accounts (% of one core)",
                             format("%.2f %%", row.cpu_percent), "<= 2 %", "-",
                             row.cpu_percent <= 2.0);
            }
        }
        print_target(format("natural track change -> MQTT (max of %d)", track_samples),
                     format("%.0f ms", end.max), "p99 <= 1500 ms", "up to 1 s after its poll",
                     end.max <= 1500);
        print_target(format("pause on a phone -> MQTT (median / max of %d)", pause_samples),
                     format("%.1f / %.1f s", pause.median / 1000, pause.max / 1000), "reported",
                     "up to 30 s (its interval)", true);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "footprint_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
