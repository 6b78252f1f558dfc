// Soak: the real bridge for a long stretch against mosquitto and the fake Spotify on loopback,
// accelerated (1–2 s polls, 20 s tracks) with random faults every few seconds: 5xx bursts,
// hanging answers, 429 windows, expired tokens, commands, changes "from a phone", a broker
// restart every 5 minutes and, halfway, the broker gone for 3 minutes (how long the bridge takes
// to be back on MQTT afterwards is printed). Samples the bridge's memory, open descriptors and
// threads from /proc and prints how they moved after the warm-up (targets: RSS +1 MiB at most, no
// fd or thread growth).
//
//   build/bin/soak_bench [--minutes 30] [--accounts 20] [--seed 1]
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>

#include "BridgeWorld.h"
#include "model/ProcFigures.h"
#include "model/Targets.h"

using namespace s2m::test;
using namespace s2m::bench;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Sample {
    double minutes = 0;
    long rss_kb = 0;
    long anon_kb = 0;
    long fds = 0;
    long threads = 0;
};

Sample sample_of(pid_t pid, Clock::time_point started) {
    Sample s;
    s.minutes = std::chrono::duration<double>(Clock::now() - started).count() / 60.0;
    s.rss_kb = proc_status_value(pid, "VmRSS");
    s.anon_kb = proc_status_value(pid, "RssAnon");
    s.threads = proc_status_value(pid, "Threads");
    s.fds = proc_open_fds(pid);
    return s;
}

void print(const Sample& s) {
    std::printf("| %7.1f | %8.1f | %11.1f | %4ld | %7ld |\n", s.minutes, s.rss_kb / 1024.0,
                s.anon_kb / 1024.0, s.fds, s.threads);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    double minutes = 30;
    int accounts = 20;
    unsigned seed = 1;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--minutes" && i + 1 < argc) {
            minutes = std::stod(argv[++i]);
        } else if (arg == "--accounts" && i + 1 < argc) {
            accounts = std::stoi(argv[++i]);
        } else if (arg == "--seed" && i + 1 < argc) {
            seed = static_cast<unsigned>(std::stoul(argv[++i]));
        } else {
            std::fprintf(stderr, "usage: soak_bench [--minutes 30] [--accounts 20] [--seed 1]\n");
            return 64;
        }
    }
    try {
        BridgeWorld world(MosquittoOptions{.persistence = true});
        Json list = Json::array();
        std::vector<std::string> names;
        for (int i = 0; i < accounts; ++i) {
            std::string id = "soak" + std::to_string(i);
            Json user = short_playlist_user(id, 20000);
            user["rotate_refresh_tokens"] = true;
            world.fake.create_user(user);
            list.push_back({{"name", id}, {"refresh_token", "rt-" + id}});
            names.push_back(id);
        }
        BridgeOptions options;
        options.mqtt_url = world.broker.url();
        options.api_url = world.fake.api_url();
        options.accounts_url = world.fake.accounts_url();
        options.web = true;
        options.config_overrides = {{"accounts", list},
                                    {"log_level", "warning"},
                                    {"homeassistant", {{"media_player", true}}},
                                    {"polling",
                                     {{"playing_interval_s", 1},
                                      {"paused_interval_s", 2},
                                      {"idle_interval_s", 2},
                                      {"max_requests_per_minute", 100000}}}};
        world.bridge = std::make_unique<BridgeUnderTest>(options);
        // Commands go through a client that reconnects by itself across the broker restarts; a
        // publish while the broker is down is counted, not fatal.
        MqttProbe actor(world.broker.url(), MqttProbeOptions{.auto_reconnect = true});
        long lost_publishes = 0;
        auto publish = [&](const std::string& topic, const std::string& payload) {
            try {
                actor.publish(topic, payload, 1);
            } catch (const std::exception&) {
                ++lost_publishes;
            }
        };
        pid_t pid = world.bridge->process().pid();
        const auto started = Clock::now();
        const auto end = started + std::chrono::duration<double, std::ratio<60>>(minutes);

        std::mt19937 random(seed);
        auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
        std::printf("soak: %d accounts, %.0f min, seed %u (accelerated polling, random faults)\n\n",
                    accounts, minutes, seed);
        std::printf("| minutes | RSS MiB | RssAnon MiB | fds | threads |\n");
        std::printf("|--------:|--------:|------------:|----:|--------:|\n");
        print(sample_of(pid, started));

        std::optional<Sample> warm;
        Sample last;
        auto next_sample = started + 30s;
        auto next_broker_restart = started + 5min;
        auto long_outage_at = started + std::chrono::duration<double, std::ratio<60>>(minutes / 2);
        bool long_outage_done = false;
        double back_after_outage_s = -1;
        long actions = 0;
        const char* commands[] = {"next", "pause", "play", "previous"};
        while (Clock::now() < end) {
            const std::string& name = names[pick(accounts)];
            switch (pick(8)) {
                case 0:
                    world.fake.add_fault({{"path_prefix", "/v1/me/player"},
                                          {"status", 500 + pick(4)},
                                          {"count", 1 + pick(5)}});
                    break;
                case 1:
                    world.fake.add_fault({{"path_prefix", "/v1/me/player"},
                                          {"method", "GET"},
                                          {"delay_ms", 3000 + pick(9000)},
                                          {"count", 1 + pick(2)}});
                    break;
                case 2:
                    world.fake.add_rate_limit("/v1/me/player", 1 + pick(3), 1);
                    break;
                case 3:
                    world.fake.expire_access_tokens(name);
                    break;
                case 4:
                case 5:
                    publish("spotify2mqtt/" + name + "/set/command", commands[pick(4)]);
                    break;
                case 6:
                    publish("spotify2mqtt/" + name + "/set",
                            Json{{"volume", pick(101)}, {"transaction", actions}}.dump());
                    break;
                default:
                    world.fake.set_playback(name, {{"is_playing", pick(2) == 0}});
                    break;
            }
            ++actions;
            if (Clock::now() >= next_broker_restart) {
                world.broker.restart();
                next_broker_restart += 5min;
            }
            if (!long_outage_done && Clock::now() >= long_outage_at) {
                // The broker lost for minutes: the bridge's reconnect backoff reaches its cap,
                // it keeps polling Spotify, and must come back by itself.
                long_outage_done = true;
                world.broker.stop();
                std::this_thread::sleep_for(3min);
                world.broker.start();
                auto back = Clock::now();
                // /healthz answers 200 only while the bridge is connected to the broker.
                httplib::Client web(world.bridge->web_url());
                while (true) {
                    auto res = web.Get("/healthz");
                    if (res && res->status == 200) break;
                    if (Clock::now() - back > 120s)
                        throw std::runtime_error("the bridge did not reconnect after the outage");
                    std::this_thread::sleep_for(100ms);
                }
                back_after_outage_s = std::chrono::duration<double>(Clock::now() - back).count();
                next_broker_restart = Clock::now() + 5min;
            }
            if (Clock::now() >= next_sample) {
                last = sample_of(pid, started);
                print(last);
                // After the first minutes: pools, caches and the allocator have their size.
                if (!warm && last.minutes >= 2) warm = last;
                world.probe.clear();
                world.fake.clear_requests();
                next_sample += 30s;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(500 + pick(2000)));
        }
        if (!world.bridge->process().running()) throw std::runtime_error("the bridge died");
        last = sample_of(pid, started);
        print(last);
        if (warm) {
            std::printf(
                "\n%ld random actions (%ld commands not sent: broker restarting). From minute %.1f "
                "to %.1f: RSS %+.2f MiB (target "
                "<= +1), RssAnon %+.2f MiB, fds %+ld, threads %+ld (targets: 0)\n",
                actions, lost_publishes, warm->minutes, last.minutes,
                (last.rss_kb - warm->rss_kb) / 1024.0, (last.anon_kb - warm->anon_kb) / 1024.0,
                last.fds - warm->fds, last.threads - warm->threads);
            double growth = (last.rss_kb - warm->rss_kb) / 1024.0;
            print_target(
                format("soak %.0f min, %d accounts, random faults: RSS growth", minutes, accounts),
                format("%+.2f MiB", growth), "<= +1 MiB", "-", growth <= 1.0);
            print_target("soak: open fds / threads growth",
                         format("%+ld / %+ld", last.fds - warm->fds, last.threads - warm->threads),
                         "0 / 0", "-", last.fds <= warm->fds && last.threads <= warm->threads);
        }
        if (back_after_outage_s >= 0) {
            std::printf(
                "Broker gone for 3 min, then back: connected to it again (/healthz 200) "
                "after %.1f s (reconnect backoff is capped at 30 s)\n",
                back_after_outage_s);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "soak_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
