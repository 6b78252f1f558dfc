// Chaos soak (issue 19): the real bridge against mosquitto and the fake Spotify on loopback, its
// clock and the fake's sped up (SPOTIFY2MQTT_BENCH_TIME_SCALE), while everything that once
// knocked it over is thrown at it at random: accounts whose Spotify calls hang, slow clients and
// header floods on the account page, a full disk under the token store, broker restarts and
// hostile token answers. Meanwhile ONE healthy account ("demo") gets a volume command every real
// second and each command's latency (publish -> its answer on spotify2mqtt/demo/response) is
// measured. The same run without the chaos comes first, as the baseline.
//
// After each run: the bridge must still be the same process; /proc figures at start, after the
// warm-up and at the end; then the bridge is restarted on its state directory and every account
// must come online with the token it saved (no new link).
//
//   build/bin/chaos_bench [--minutes 30] [--speed 10] [--accounts 6] [--seed 1]
// --minutes is bridge time: the real duration of each run is minutes / speed (3 real minutes by
// default, so the whole bench takes about 7).
#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "BridgeWorld.h"
#include "model/ChaosAgents.h"
#include "model/ChaosRun.h"
#include "model/Targets.h"

using namespace s2m::test;
using namespace s2m::bench;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// The hostile token answers of issue 19: an empty refresh_token, an access_token carrying a
// header of its own, and no JSON at all.
Json hostile_token_answer(int which) {
    Json fault = {{"method", "POST"}, {"path_prefix", "/api/token"}, {"status", 200}};
    Json body = {
        {"token_type", "Bearer"}, {"expires_in", 3600}, {"scope", "user-read-playback-state"}};
    switch (which) {
        case 0:
            body["access_token"] = "fresh-looking";
            body["refresh_token"] = "";
            fault["body"] = body;
            break;
        case 1:
            body["access_token"] = "abc\r\nX-Injected: yes";
            fault["body"] = body;
            break;
        default:
            fault["raw_body"] = "{\"access_token\": \"trunc";
            fault["content_type"] = "application/json";
            break;
    }
    return fault;
}

// Throws chaos at the world until `end`; what it did goes into `run.chaos`.
void make_chaos(ChaosWorld& world, RunResult& run, Clock::time_point end, unsigned seed,
                Clock::time_point warm_at) {
    std::mt19937 random(seed);
    auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
    PageAttackers page(world.bridge->web_port());
    std::map<std::string, Clock::time_point> hanging;  // account -> until
    std::map<std::string, int64_t> hang_faults;
    auto disk_free_at = Clock::time_point::max();
    auto next_broker_restart = Clock::now() + std::chrono::seconds(20 + pick(40));
    while (Clock::now() < end) {
        world.observe(run);
        if (!run.warm && Clock::now() >= warm_at) run.warm = world.sample();
        const std::string& account =
            world.chaos_accounts[pick(static_cast<int>(world.chaos_accounts.size()))];
        switch (pick(7)) {
            case 0:  // every /v1/me call of the account hangs past the bridge's 10 s timeout
                if (!hanging.contains(account)) {
                    hang_faults[account] = world.fake.add_fault({{"path_prefix", "/v1/me"},
                                                                 {"user", account},
                                                                 {"delay_ms", 15000},
                                                                 {"count", -1}});
                    hanging[account] = Clock::now() + std::chrono::seconds(15 + pick(45));
                    ++run.chaos["hanging accounts (15-60 s each)"];
                }
                world.publish("spotify2mqtt/" + account + "/set", R"({"volume":40})");
                break;
            case 1:
                page.slow_clients(6, 3s, std::chrono::seconds(20 + pick(30)));
                run.chaos["slow page clients (6 at a time, a header line every 3 s)"] += 6;
                break;
            case 2:
                page.header_flood(3000, 4096);
                ++run.chaos["header floods (3000 headers of 4 KB)"];
                break;
            case 3:
                if (world.disk && !world.disk->full()) {
                    world.disk->fill();
                    disk_free_at = Clock::now() + std::chrono::seconds(15 + pick(30));
                    ++run.chaos["full disk under the token store (15-45 s)"];
                    // Refreshes now rotate tokens the bridge cannot save.
                    for (const auto& name : world.chaos_accounts)
                        world.fake.expire_access_tokens(name);
                }
                break;
            case 4: {
                Json fault = hostile_token_answer(pick(3));
                fault["user"] = account;
                fault["count"] = 1;
                world.fake.add_fault(fault);
                world.fake.expire_access_tokens(account);
                world.publish("spotify2mqtt/" + account + "/get", "");
                ++run.chaos["hostile token answers"];
                break;
            }
            default:
                world.fake.expire_access_tokens(account);
                world.publish("spotify2mqtt/" + account + "/set", R"({"command":"next"})");
                break;
        }
        if (Clock::now() >= next_broker_restart && Clock::now() + 20s < end) {
            run.broker_restarts.push_back(world.restart_broker());
            ++run.chaos["broker restarts"];
            next_broker_restart = Clock::now() + std::chrono::seconds(40 + pick(40));
        }
        for (auto it = hanging.begin(); it != hanging.end();) {
            if (Clock::now() < it->second) {
                ++it;
                continue;
            }
            world.fake.remove_fault(hang_faults[it->first]);
            it = hanging.erase(it);
        }
        if (Clock::now() >= disk_free_at) {
            world.disk->free();
            disk_free_at = Clock::time_point::max();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1000 + pick(3000)));
    }
    page.stop();
    run.chaos["slow page clients: connections the bridge accepted"] = page.slow_opened();
    run.chaos["header floods: cut short by the bridge"] = page.floods_cut_short();
    if (world.disk) world.disk->free();
    world.fake.clear_faults();
}

RunResult run_once(const ChaosOptions& options, bool chaos) {
    ChaosWorld world(options);
    RunResult run;
    run.disk_note = world.disk_note;
    run.start = world.sample();
    const auto started = Clock::now();
    const auto end = started + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(options.real_seconds()));
    HealthyCommander commander(world.broker.url(), "demo");
    const auto warm_at = started + (end - started) / 4;
    if (chaos) {
        make_chaos(world, run, end, options.seed, warm_at);
    } else {
        while (Clock::now() < end) {
            world.observe(run);
            if (!run.warm && Clock::now() >= warm_at) run.warm = world.sample();
            std::this_thread::sleep_for(2s);
        }
    }
    commander.finish(run);
    world.settle_and_check(run);
    return run;
}

}  // namespace

int main(int argc, char** argv) {
    ChaosOptions options = ChaosOptions::parse(argc, argv);
    try {
        std::fprintf(stderr,
                     "chaos_bench: %d accounts + demo, %.0f bridge minutes at %gx = %.1f real "
                     "minutes per run, baseline first\n",
                     options.accounts, options.minutes, options.speed, options.real_seconds() / 60);
        RunResult calm = run_once(options, false);
        RunResult chaos = run_once(options, true);
        print_report(options, calm, chaos);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "chaos_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
