#include "model/ChaosRun.h"

#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "model/ProcFigures.h"
#include "model/Targets.h"

namespace s2m::bench {

using namespace s2m::test;
using namespace std::chrono_literals;

ChaosOptions ChaosOptions::parse(int argc, char** argv) {
    ChaosOptions o;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--minutes" && i + 1 < argc) {
            o.minutes = std::max(1.0, std::stod(argv[++i]));
        } else if (arg == "--speed" && i + 1 < argc) {
            o.speed = std::clamp(std::stod(argv[++i]), 1.0, 100.0);
        } else if (arg == "--accounts" && i + 1 < argc) {
            o.accounts = std::clamp(std::stoi(argv[++i]), 1, 20);
        } else if (arg == "--seed" && i + 1 < argc) {
            o.seed = static_cast<unsigned>(std::stoul(argv[++i]));
        } else {
            std::fprintf(stderr,
                         "usage: chaos_bench [--minutes 30] [--speed 10] [--accounts 6] "
                         "[--seed 1]\n");
            std::exit(arg == "--help" ? 0 : 64);
        }
    }
    return o;
}

ChaosWorld::ChaosWorld(const ChaosOptions& options)
    : BridgeWorld(MosquittoOptions{.persistence = true, .tcp_nodelay = true}),
      actor_(broker.url(), MqttProbeOptions{.auto_reconnect = true}),
      watcher_(broker.url(), MqttProbeOptions{.subscriptions = {"spotify2mqtt/+/availability",
                                                                "spotify2mqtt/bridge/event"},
                                              .auto_reconnect = true}) {
    // 1 MiB holds the token files many times over; fill() takes the rest.
    auto state_dir = state_root_ / "state";
    try {
        disk = std::make_unique<TmpfsDisk>(state_dir, 1 << 20);
        disk_note = "a 1 MiB tmpfs on the state directory, filled up with a file";
    } catch (const std::exception& e) {
        disk_note = std::string("no full disk: ") + e.what();
    }
    fake.set_clock_speed(options.speed);
    Json list = Json::array();
    all_accounts.push_back("demo");
    for (int i = 1; i <= options.accounts; ++i) all_accounts.push_back("chaos" + std::to_string(i));
    for (const auto& name : all_accounts) {
        // Three-minute tracks; tokens that live 10 minutes and rotate on every refresh, so a
        // refresh whose answer cannot be saved would lose the account.
        Json user = short_playlist_user(name, 180000);
        user["rotate_refresh_tokens"] = true;
        user["token_lifetime_s"] = 600;
        fake.create_user(user);
        list.push_back({{"name", name}, {"refresh_token", "rt-" + name}});
        if (name != "demo") chaos_accounts.push_back(name);
    }
    BridgeOptions bridge_options = this->bridge_options(
        {{"accounts", list}, {"log_level", "warning"}, {"state_dir", state_dir.string()}});
    bridge_options.web = true;
    bridge_options.env = {{"SPOTIFY2MQTT_BENCH_TIME_SCALE", format("%g", options.speed)}};
    bridge = std::make_unique<BridgeUnderTest>(bridge_options);
    pid_ = bridge->process().pid();
    for (const auto& name : all_accounts) {
        if (!wait_state(
                name, [](const Json& s) { return s.contains("state"); }, 30s))
            throw std::runtime_error(name + " never showed a state\n" + bridge_log());
    }
}

ProcSample ChaosWorld::sample() const {
    return ProcSample{proc_status_value(pid_, "VmRSS"), proc_open_fds(pid_),
                      proc_status_value(pid_, "Threads")};
}

void ChaosWorld::observe(RunResult& run) {
    if (!bridge->process().running()) {
        if (!run.crashed)
            std::fprintf(stderr, "chaos_bench: the bridge died\n%s\n", bridge_log().c_str());
        run.crashed = true;
        return;
    }
    ProcSample now = sample();
    run.peak.rss_kb = std::max(run.peak.rss_kb, now.rss_kb);
    run.peak.fds = std::max(run.peak.fds, now.fds);
    run.peak.threads = std::max(run.peak.threads, now.threads);
    probe.clear();  // the catch-all probe would keep every state of the run otherwise
    if (Clock::now() < next_healthz_) return;
    next_healthz_ = Clock::now() + 10s;
    httplib::Client web(bridge->web_url());
    web.set_connection_timeout(2, 0);
    web.set_read_timeout(3, 0);
    ++run.healthz_tried;
    auto res = web.Get("/healthz");
    if (res && (res->status == 200 || res->status == 503)) ++run.healthz_ok;  // it answered
}

void ChaosWorld::publish(const std::string& topic, const std::string& payload) {
    try {
        actor_.publish(topic, payload, 1);
    } catch (const std::exception&) {
    }
}

BrokerRestart ChaosWorld::restart_broker() {
    BrokerRestart restart{Clock::now(), {}};
    broker.restart();
    restart.back = Clock::now();
    return restart;
}

void ChaosWorld::settle_and_check(RunResult& run) {
    run.accounts = static_cast<int>(all_accounts.size());
    run.all_accounts = all_accounts;
    // A token the full disk kept in memory is saved by the bridge's retry: wait until no
    // account shows token_not_saved any more.
    auto latest_reason = [&](const std::string& name) {
        auto last = watcher_.last("spotify2mqtt/" + name + "/availability");
        if (!last) return std::string();
        Json a = Json::parse(last->payload, nullptr, false);
        return a.is_object() ? a.value("reason", std::string()) : std::string();
    };
    for (auto deadline = Clock::now() + 120s; Clock::now() < deadline;) {
        bool pending = false;
        for (const auto& name : all_accounts) pending |= latest_reason(name) == "token_not_saved";
        if (!pending) break;
        std::this_thread::sleep_for(500ms);
    }
    for (const auto& event : watcher_.messages("spotify2mqtt/bridge/event")) {
        Json e = Json::parse(event.payload, nullptr, false);
        if (e.is_object() && e.value("type", "") == "token_not_saved") ++run.tokens_not_saved;
    }
    // Calls held by the fake end at their 15 s delay; then the figures must be back.
    std::this_thread::sleep_for(20s);
    observe(run);
    run.end = sample();
    for (const auto& name : all_accounts) {
        auto last = watcher_.last("spotify2mqtt/" + name + "/availability");
        Json a = last ? Json::parse(last->payload, nullptr, false) : Json();
        if (a.is_object() && a.value("state", "") == "online") run.online_at_end.push_back(name);
    }
    if (!bridge->process().running()) run.crashed = true;
    if (run.crashed) return;
    run.exit_code = bridge->process().terminate_and_wait(15s);
    for (const auto& name : all_accounts) {
        std::ifstream file(state_root_ / "state" / "accounts" / (name + ".json"));
        Json record = Json::parse(file, nullptr, false);
        if (record.is_object() &&
            record.value("refresh_token", std::string()) == fake.refresh_token(name))
            ++run.files_current;
    }
    watcher_.clear();
    bridge->start();
    auto deadline = Clock::now() + 60s;
    for (const auto& name : all_accounts) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (watcher_.wait_for_json(
                "spotify2mqtt/" + name + "/availability",
                [](const Json& a) { return a.value("state", "") == "online"; },
                std::max(left, std::chrono::milliseconds(1))))
            run.back_online.push_back(name);
    }
    bridge->process().terminate_and_wait(15s);
}

HealthyCommander::HealthyCommander(const std::string& broker_url, std::string account)
    : account_(std::move(account)),
      probe_(broker_url,
             MqttProbeOptions{.subscriptions = {"spotify2mqtt/" + account_ + "/response"},
                              .auto_reconnect = true}),
      thread_([this] { loop(); }) {}

HealthyCommander::~HealthyCommander() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

void HealthyCommander::loop() {
    auto next = Clock::now();
    for (int i = 0; !stopping_; ++i) {
        HealthyCommand command;
        command.sent = Clock::now();
        try {
            probe_.publish("spotify2mqtt/" + account_ + "/set",
                           Json{{"volume", 10 + i % 80}, {"transaction", i}}.dump(), 1);
            command.published = true;
        } catch (const std::exception&) {
        }
        commands_.push_back(command);
        next += 1s;
        std::this_thread::sleep_until(next);
    }
}

void HealthyCommander::finish(RunResult& run) {
    stopping_ = true;
    thread_.join();
    auto answered = [&] {
        size_t count = 0;
        for (const auto& message : probe_.messages()) count += message.retained ? 0 : 1;
        return count;
    };
    size_t published = 0;
    for (const auto& c : commands_) published += c.published ? 1 : 0;
    for (auto deadline = Clock::now() + 15s; answered() < published && Clock::now() < deadline;)
        std::this_thread::sleep_for(200ms);
    for (const auto& message : probe_.messages()) {
        Json r = Json::parse(message.payload, nullptr, false);
        if (!r.is_object() || !r["transaction"].is_number_integer()) continue;
        auto i = r["transaction"].get<size_t>();
        if (i >= commands_.size() || commands_[i].answered) continue;
        commands_[i].answered = message.received_at;
        commands_[i].status =
            r.value("status", "") == "ok" ? "ok" : r.value("reason", std::string("error"));
    }
    run.commands = std::move(commands_);
}

}  // namespace s2m::bench
