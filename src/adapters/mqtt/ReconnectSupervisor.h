// Keeps one MQTT connection up: the first connect and every reconnect after a loss run on one
// thread of ours, with jittered exponential backoff, each failed attempt logged with its reason.
// An attempt that gets no answer, or a run of failures, makes the target start over with a new
// client, so a client wedged inside the MQTT library cannot block recovery for good.
// connection_lost() may be called from the library's thread: it only flags and wakes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

namespace s2m {

struct ConnectAttempt {
    enum class Result { connected, failed, no_answer, stopped };
    Result result = Result::failed;
    std::string reason;  // for a person: what failed and what to check
};

// The narrow part of an MQTT client the supervisor drives (PahoMqtt; a script in unit tests).
class ReconnectTarget {
  public:
    virtual ~ReconnectTarget() = default;
    // One connect, blocking until the broker answers, the attempt times out (no_answer), or
    // `stop` is requested (stopped). Returns connected at once when already connected: the
    // supervisor also calls it every health_check, to notice a loss nobody reported.
    virtual ConnectAttempt connect_once(std::stop_token stop) = 0;
    // Drops the current client and makes a new one with the same identity and session.
    virtual void recreate_client() = 0;
};

struct ReconnectPolicy {
    std::chrono::milliseconds min_delay{1000};
    std::chrono::milliseconds max_delay{30000};
    int recreate_after_failures = 3;  // in a row; no_answer recreates at once
    std::chrono::milliseconds health_check{5000};
    // A connection lost sooner than this after it was made counts like a failed attempt: a
    // client the broker drops right after every connect (seen with Paho C after a broker died
    // mid-write: each reconnect resent a pending write the broker refused) is replaced after
    // recreate_after_failures such connections in a row.
    std::chrono::milliseconds stable_after{10000};
};

// The wait after `failures` failed attempts in a row (1, 2, ...): min_delay doubled per failure
// up to max_delay, then a random point in that value's upper half (never below min_delay), so
// bridges restarted together do not all knock on a returning broker at the same instant.
// random01 is in [0, 1).
std::chrono::milliseconds reconnect_delay(int failures, const ReconnectPolicy& policy,
                                          double random01);

class ReconnectSupervisor {
  public:
    ReconnectSupervisor(ReconnectTarget& target, ReconnectPolicy policy,
                        std::function<double()> random01);
    ~ReconnectSupervisor();

    void start();            // begins the first connect in the background
    void connection_lost();  // any thread; never blocks for long
    void stop();             // ends an attempt or wait in progress and joins; idempotent

  private:
    void run(std::stop_token stop);
    void wait_before_retry(std::stop_token stop, std::chrono::milliseconds delay);
    // After a reported loss: counts a connection that did not last, and starts over with a new
    // client after a run of them.
    void note_loss(std::chrono::steady_clock::time_point now);

    ReconnectTarget& target_;
    ReconnectPolicy policy_;
    std::function<double()> random01_;
    std::mutex mutex_;
    std::condition_variable_any wake_;
    bool connect_wanted_ = true;  // the first connect, then set by every connection loss
    bool settle_first_ = false;   // a loss: wait min_delay before the first attempt
    // Run-thread only: when the current connection was made, and how many in a row were brief.
    std::optional<std::chrono::steady_clock::time_point> connected_at_;
    int brief_connections_ = 0;
    std::jthread thread_;
};

}  // namespace s2m
