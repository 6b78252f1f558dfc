// chaos_bench's tables: the healthy account's command latency with and without the chaos, what
// was thrown, and whether the bridge lived through it with its memory, descriptors, threads and
// tokens intact.
#include <algorithm>
#include <cstdio>

#include "model/ChaosRun.h"
#include "model/Targets.h"

namespace s2m::bench {

namespace {

// Commands sent while a broker restart kept them from the bridge: from the restart until the
// first command sent after it was answered (the bridge is back on the broker then).
bool during_broker_restart(const RunResult& run, const HealthyCommand& command) {
    for (const auto& restart : run.broker_restarts) {
        auto back = Clock::time_point::max();
        for (const auto& c : run.commands)
            if (c.sent >= restart.back && c.answered) back = std::min(back, *c.answered);
        if (command.sent >= restart.began && command.sent <= back) return true;
    }
    return false;
}

struct Latency {
    long sent = 0, ok = 0, refused = 0, lost = 0, not_sent = 0;
    std::map<std::string, long> reasons;
    std::vector<double> ms;
    double p(double q) const { return percentile(ms, q); }
};

Latency latency_of(const RunResult& run, bool skip_broker_restarts) {
    Latency l;
    for (const auto& c : run.commands) {
        if (skip_broker_restarts && during_broker_restart(run, c)) continue;
        ++l.sent;
        if (!c.published) {
            ++l.not_sent;
        } else if (!c.answered) {
            ++l.lost;
        } else if (c.status != "ok") {
            ++l.refused;
            ++l.reasons[c.status];
        } else {
            ++l.ok;
            l.ms.push_back(std::chrono::duration<double, std::milli>(*c.answered - c.sent).count());
        }
    }
    return l;
}

void print_latency(const char* what, const Latency& l) {
    std::string reasons;
    for (const auto& [reason, count] : l.reasons)
        reasons += (reasons.empty() ? " (" : ", ") + reason + " " + std::to_string(count);
    if (!reasons.empty()) reasons += ")";
    std::printf("| %-36s | %4ld | %4ld | %4ld%s | %4ld | %4ld | %7.1f | %7.1f | %7.1f | %8.1f |\n",
                what, l.sent, l.ok, l.refused, reasons.c_str(), l.lost, l.not_sent, l.p(50),
                l.p(95), l.p(99), l.p(100));
}

std::string figures(const RunResult& r, long ProcSample::*field, double scale) {
    auto v = [&](const ProcSample& s) { return static_cast<double>(s.*field) / scale; };
    return format("%.1f / %.1f / %.1f (peak %.1f)", v(r.start), r.warm ? v(*r.warm) : -1.0,
                  v(r.end), v(r.peak));
}

// The end against the higher of start and warm-up: the bridge's keep-alive connections to Spotify
// and its idle threads come and go by themselves (the calm run moves by a couple as well), a
// leak only adds up.
long growth(const RunResult& r, long ProcSample::*field) {
    long before = std::max(r.start.*field, r.warm ? (*r.warm).*field : r.start.*field);
    return r.end.*field - before;
}

std::string growths(const RunResult& r) {
    return format("%+.1f MiB / %+ld / %+ld",
                  static_cast<double>(growth(r, &ProcSample::rss_kb)) / 1024,
                  growth(r, &ProcSample::fds), growth(r, &ProcSample::threads));
}

}  // namespace

void print_report(const ChaosOptions& options, const RunResult& calm, const RunResult& chaos) {
    std::printf(
        "chaos soak: %d accounts + the healthy \"demo\", %.0f bridge minutes at %gx (%.1f real "
        "minutes) per run, seed %u; the baseline run is as long, with the same accounts, "
        "without chaos\n\n",
        options.accounts, options.minutes, options.speed, options.real_seconds() / 60,
        options.seed);
    std::printf(
        "Healthy account: a volume command every real second; latency = publish -> its answer "
        "on spotify2mqtt/demo/response, ms\n\n");
    std::printf(
        "| run | sent | ok | refused | not answered | not sent (broker down) | p50 | p95 | p99 | "
        "max |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    Latency base = latency_of(calm, false), all = latency_of(chaos, false),
            outside = latency_of(chaos, true);
    print_latency("without chaos (baseline)", base);
    print_latency("with chaos", all);
    print_latency("with chaos, outside broker restarts", outside);

    std::printf("\n| chaos thrown | times |\n|---|---:|\n");
    for (const auto& [what, count] : chaos.chaos)
        std::printf("| %s | %ld |\n", what.c_str(), count);
    std::printf("\nFull disk: %s.\n", chaos.disk_note.c_str());

    auto yes = [](bool b) { return b ? "yes" : "no"; };
    auto code = [](const RunResult& r) {
        return r.exit_code ? std::to_string(*r.exit_code) : std::string("-");
    };
    std::printf("\n| the bridge | without chaos | with chaos |\n|---|---|---|\n");
    std::printf("| crashed (its PID gone during the run) | %s | %s |\n", yes(calm.crashed),
                yes(chaos.crashed));
    std::printf("| exit code on SIGTERM at the end | %s | %s |\n", code(calm).c_str(),
                code(chaos).c_str());
    std::printf("| /healthz answered (every 10 s) | %ld of %ld | %ld of %ld |\n", calm.healthz_ok,
                calm.healthz_tried, chaos.healthz_ok, chaos.healthz_tried);
    std::printf("| RSS MiB: start / after warm-up / end | %s | %s |\n",
                figures(calm, &ProcSample::rss_kb, 1024).c_str(),
                figures(chaos, &ProcSample::rss_kb, 1024).c_str());
    std::printf("| open fds: start / after warm-up / end | %s | %s |\n",
                figures(calm, &ProcSample::fds, 1).c_str(),
                figures(chaos, &ProcSample::fds, 1).c_str());
    std::printf("| threads: start / after warm-up / end | %s | %s |\n",
                figures(calm, &ProcSample::threads, 1).c_str(),
                figures(chaos, &ProcSample::threads, 1).c_str());
    auto listed = [](const RunResult& r) {
        std::string offline;
        for (const auto& name : r.all_accounts)
            if (std::find(r.online_at_end.begin(), r.online_at_end.end(), name) ==
                r.online_at_end.end())
                offline += (offline.empty() ? " (not: " : ", ") + name;
        return format("%zu of %d", r.online_at_end.size(), r.accounts) +
               (offline.empty() ? "" : offline + ")");
    };
    std::printf("| accounts online 20 s after the chaos stopped | %s | %s |\n",
                listed(calm).c_str(), listed(chaos).c_str());
    std::printf("| token_not_saved events (the full disk bit) | %ld | %ld |\n",
                calm.tokens_not_saved, chaos.tokens_not_saved);
    std::printf("| token files holding Spotify's newest refresh token | %d of %d | %d of %d |\n",
                calm.files_current, calm.accounts, chaos.files_current, chaos.accounts);
    std::printf("| accounts online after a restart, no new link | %zu of %d | %zu of %d |\n",
                calm.back_online.size(), calm.accounts, chaos.back_online.size(), chaos.accounts);
    std::printf(
        "\n(warm-up: the first quarter of each run; \"end\" is 20 s after the chaos stopped, so "
        "calls the fake held have ended; peak is the highest sample during the run)\n\n");

    double ratio = base.p(99) > 0 ? outside.p(99) / base.p(99) : 0;
    print_target("chaos soak: healthy command p99 with chaos (outside broker restarts)",
                 format("%.1f ms (%.2fx)", outside.p(99), ratio),
                 format("~ without: %.1f ms (<= 1.5x or +50 ms)", base.p(99)), "-",
                 outside.p(99) <= std::max(1.5 * base.p(99), base.p(99) + 50));
    print_target("chaos soak: healthy commands not answered", format("%ld", outside.lost), "0", "-",
                 outside.lost == 0);
    print_target("chaos soak: crashes", chaos.crashed ? "1" : "0", "0", "-", !chaos.crashed);
    bool held = growth(chaos, &ProcSample::rss_kb) <= 2048 &&
                growth(chaos, &ProcSample::fds) <= 2 && growth(chaos, &ProcSample::threads) <= 1;
    print_target("chaos soak: growth by the end (RSS / fds / threads)",
                 growths(chaos) + " (calm run: " + growths(calm) + ")",
                 "<= +2 MiB / +2 / +1 over start and warm-up", "-", held);
    print_target("chaos soak: accounts back after a restart without a new link",
                 format("%zu of %d", chaos.back_online.size(), chaos.accounts), "all", "-",
                 static_cast<int>(chaos.back_online.size()) == chaos.accounts);
}

}  // namespace s2m::bench
