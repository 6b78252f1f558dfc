// Command latency bench: the real bridge binary, a real mosquitto and the fake Spotify on
// loopback. For each of N commands (volume, pause/play, next in turn) it measures
//   - command → HTTP call: the probe's publish → the fake's arrival time of the player call
//     (both on CLOCK_MONOTONIC, which std::chrono::steady_clock is on Linux),
//   - command → state publish: the probe's publish → the changed account state on MQTT
//     (volume and pause/play are published from the bridge's prediction; next waits for the
//     confirming poll, since only Spotify knows the next track).
// Commands go one after the other: each waits for its response and state before the next.
//
//   build/bin/command_bench [--commands 240]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "BridgeWorld.h"
#include "model/Targets.h"

using namespace s2m::test;
using s2m::bench::format;
using s2m::bench::percentile;
using s2m::bench::print_target;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Samples {
    std::vector<double> to_http_ms;
    std::vector<double> to_state_ms;
};

void print_row(const std::string& kind, const Samples& s) {
    std::printf("| %-16s | %5zu | %8.2f | %8.2f | %8.2f | %9.2f | %9.2f | %9.2f |\n", kind.c_str(),
                s.to_http_ms.size(), percentile(s.to_http_ms, 50), percentile(s.to_http_ms, 99),
                percentile(s.to_http_ms, 100), percentile(s.to_state_ms, 50),
                percentile(s.to_state_ms, 99), percentile(s.to_state_ms, 100));
}

int parse_commands(int argc, char** argv) {
    int commands = 240;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--commands" && i + 1 < argc) {
            commands = std::max(3, std::stoi(argv[++i]));
        } else {
            std::fprintf(stderr, "usage: command_bench [--commands N]\n");
            std::exit(arg == "--help" ? 0 : 64);
        }
    }
    return commands;
}

// Runs `commands` commands against a fresh broker, fake and bridge; results by command kind.
std::map<std::string, Samples> run(int commands, bool broker_nodelay) {
    BridgeWorld world(MosquittoOptions{.tcp_nodelay = broker_nodelay});
    // Hour-long tracks: no natural track change interferes.
    world.fake.create_user(short_playlist_user("alice", 3600000));
    Json config = BridgeWorld::accounts({"alice"});
    config["log_level"] = "info";
    world.start_bridge(config);
    auto first = world.wait_state("alice", [](const Json& s) { return s["state"] == "playing"; });
    if (!first) throw std::runtime_error("the bridge never published a playing state");
    std::string track = (*first)["track"]["uri"];
    bool playing = true;

    std::map<std::string, Samples> by_kind;
    for (int i = 0; i < commands; ++i) {
        std::string kind, payload, method, path;
        std::function<bool(const Json&)> done;
        switch (i % 3) {
            case 0: {
                int volume = 1 + (i / 3) % 99;
                kind = "volume";
                payload = Json{{"volume", volume}}.dump();
                method = "PUT", path = "/v1/me/player/volume";
                done = [volume](const Json& s) { return s["volume"] == volume; };
                break;
            }
            case 1: {
                kind = "pause / play";
                payload = Json{{"command", playing ? "pause" : "play"}}.dump();
                method = "PUT", path = playing ? "/v1/me/player/pause" : "/v1/me/player/play";
                std::string wanted = playing ? "paused" : "playing";
                done = [wanted](const Json& s) { return s["state"] == wanted; };
                break;
            }
            default: {
                kind = "next";
                payload = R"({"command":"next"})";
                method = "POST", path = "/v1/me/player/next";
                done = [track](const Json& s) {
                    return s["track"].is_object() && s["track"]["uri"] != track;
                };
                break;
            }
        }
        // A pause between commands, as between a person's taps: it also lets the kernel's delayed
        // ACKs (40 ms) go out, so the probe's own socket adds no Nagle delay to what is measured.
        std::this_thread::sleep_for(100ms);
        int64_t since = world.fake.last_seq();
        world.probe.clear();
        auto sent = Clock::now();
        world.probe.publish("spotify2mqtt/alice/set", payload, 1);
        auto response = world.probe.wait_for_json(
            "spotify2mqtt/alice/response", [](const Json&) { return true; }, 5s);
        if (!response || response->json()["status"] != "ok")
            throw std::runtime_error(
                kind + " got no ok response: " + (response ? response->payload : "none"));
        auto state = world.probe.wait_for_json("spotify2mqtt/alice", done, 5s);
        if (!state) {
            std::fprintf(stderr, "%s\n", world.bridge_log().c_str());
            throw std::runtime_error(kind + " (#" + std::to_string(i) +
                                     "): the state never showed the change");
        }
        if (kind == "next") track = state->json()["track"]["uri"];
        playing = state->json()["state"] == "playing";  // next also resumes playback
        Json calls = world.fake.requests_to(method, path, since);
        if (calls.empty()) throw std::runtime_error(kind + ": no " + method + " " + path);
        int64_t sent_us =
            std::chrono::duration_cast<std::chrono::microseconds>(sent.time_since_epoch()).count();
        double to_http = static_cast<double>(calls[0]["mono_us"].get<int64_t>() - sent_us) / 1000.0;
        double to_state =
            std::chrono::duration<double, std::milli>(state->received_at - sent).count();
        for (Samples* s : {&by_kind[kind], &by_kind["all"]}) {
            s->to_http_ms.push_back(to_http);
            s->to_state_ms.push_back(to_state);
        }
    }
    return by_kind;
}

}  // namespace

int main(int argc, char** argv) try {
    const int commands = parse_commands(argc, argv);
    std::printf(
        "spotify2mqtt command bench: %d commands per broker setting, real mosquitto + "
        "fake Spotify on loopback\n",
        commands);
    std::vector<std::function<void()>> targets;  // printed after both tables
    for (bool nodelay : {false, true}) {
        auto results = run(commands, nodelay);
        std::printf("\nmosquitto %s\n\n",
                    nodelay ? "with set_tcp_nodelay true" : "with its defaults (Nagle on)");
        std::printf(
            "| command          |     n | →HTTP p50 | →HTTP p99 | →HTTP max | →state p50 | "
            "→state p99 | →state max |\n");
        std::printf(
            "|------------------|------:|---------:|---------:|---------:|----------:|----------:|"
            "----------:|\n");
        for (const auto& [kind, samples] : results)
            if (kind != "all") print_row(kind, samples);
        print_row("all", results["all"]);
        const Samples& all = results["all"];
        std::string broker = nodelay ? " (broker with set_tcp_nodelay)" : " (broker defaults)";
        double to_http = percentile(all.to_http_ms, 99);
        double to_state = percentile(all.to_state_ms, 99);
        targets.push_back([=] {
            print_target("command -> Spotify HTTP call, p99" + broker, format("%.2f ms", to_http),
                         "<= 5 ms", "-", to_http <= 5);
            print_target("command -> state on MQTT, p99" + broker, format("%.1f ms", to_state),
                         "<= 100 ms", "about 1 s (refresh 1 s after)", to_state <= 100);
        });
    }
    std::printf(
        "\n(ms; →HTTP = MQTT publish → the player call reaching the fake Spotify; "
        "→state = MQTT publish → the changed state received on MQTT)\n\n");
    for (const auto& print : targets) print();
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "command_bench: %s\n", e.what());
    return 1;
}
