// The pieces of chaos_bench: its options, the world one run plays in (broker, fake, bridge on a
// small tmpfs state directory), the healthy account's once-a-second commander, what a run found
// and the report that sets a calm run next to a chaotic one.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "BridgeWorld.h"
#include "model/ChaosAgents.h"
#include "support/TempDir.h"

namespace s2m::bench {

using Clock = std::chrono::steady_clock;

struct ChaosOptions {
    double minutes = 30;  // bridge time
    double speed = 10;    // the bridge's and the fake's clock run this much faster
    int accounts = 6;     // chaos accounts besides the healthy "demo"
    unsigned seed = 1;

    double real_seconds() const { return minutes * 60.0 / speed; }
    static ChaosOptions parse(int argc, char** argv);  // exits 64 on a bad argument
};

struct ProcSample {
    long rss_kb = 0;
    long fds = 0;
    long threads = 0;
};

struct HealthyCommand {
    Clock::time_point sent;
    bool published = false;  // false: the broker was down
    std::optional<Clock::time_point> answered;
    std::string status;  // "ok", or the error's reason
};

struct BrokerRestart {
    Clock::time_point began;
    Clock::time_point back;  // the broker accepts connections again
};

struct RunResult {
    ProcSample start, end, peak;
    std::optional<ProcSample> warm;
    std::vector<HealthyCommand> commands;
    std::vector<BrokerRestart> broker_restarts;
    std::map<std::string, long> chaos;  // what was thrown, how often
    std::string disk_note;              // how the disk was made full, or why it was not
    bool crashed = false;
    std::optional<int> exit_code;  // of the SIGTERM at the end
    long healthz_tried = 0, healthz_ok = 0;
    long tokens_not_saved = 0;  // token_not_saved events the bridge published
    int accounts = 0;
    std::vector<std::string> all_accounts;
    std::vector<std::string> online_at_end;  // before the restart, once the chaos stopped
    std::vector<std::string> back_online;    // after the restart, with the saved tokens
    int files_current = 0;                   // token files holding Spotify's newest refresh token
};

class ChaosWorld : public s2m::test::BridgeWorld {
  public:
    explicit ChaosWorld(const ChaosOptions& options);

    ProcSample sample() const;
    // Between chaos steps: is the bridge alive, peak figures, /healthz every 10 s.
    void observe(RunResult& run);
    // A publish that may meet a restarting broker (then it is dropped).
    void publish(const std::string& topic, const std::string& payload);
    BrokerRestart restart_broker();
    // After the run: tokens saved again, figures once things settled, SIGTERM, then a restart
    // on the same state directory that must bring every account online.
    void settle_and_check(RunResult& run);

  private:
    // Before `disk`: destroyed after it, so the tmpfs is gone before the directory is removed.
    s2m::test::TempDir state_root_{"s2m-chaos"};

  public:
    std::vector<std::string> chaos_accounts;
    std::vector<std::string> all_accounts;  // "demo" first
    std::unique_ptr<TmpfsDisk> disk;        // null when no tmpfs could be mounted
    std::string disk_note;

  private:
    s2m::test::MqttProbe actor_;
    s2m::test::MqttProbe watcher_;
    pid_t pid_ = 0;
    Clock::time_point next_healthz_ = Clock::now();
};

// Commands the healthy account once a real second on a thread of its own.
class HealthyCommander {
  public:
    HealthyCommander(const std::string& broker_url, std::string account);
    ~HealthyCommander();
    // Stops, waits up to 15 s for the last answers, and hands over every command.
    void finish(RunResult& run);

  private:
    void loop();

    std::string account_;
    s2m::test::MqttProbe probe_;
    std::atomic<bool> stopping_{false};
    std::vector<HealthyCommand> commands_;  // the thread's until finish()
    std::thread thread_;
};

void print_report(const ChaosOptions& options, const RunResult& calm, const RunResult& chaos);

}  // namespace s2m::bench
