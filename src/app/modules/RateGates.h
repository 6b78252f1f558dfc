// Spotify's rate limit. Each Spotify app (client id) has its own gate, shared by the accounts
// linked through it: routine polls are paced and queue first come first served, commands and the
// reads that show their result go ahead, and a 429 closes that app's gate (and only that app's)
// for Retry-After. The gate decides when a job may start; the app's RateWindow
// (core/RateWindow.h), shared with the jobs, stops the calls of jobs already running.
//
// Not a module of its own (it reacts to no event): polling and commands ask it for slots.
// Thread rule: loop thread only.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "app/BridgeCore.h"
#include "core/RateGate.h"
#include "core/RateWindow.h"
#include "core/Result.h"
#include "ports/Scheduler.h"

namespace s2m {

// The rate-limit gate of one Spotify app and the polls waiting for it, first come first served
// (a big first poll of one account is not starved by the small polls of another), with the timer
// for the first in line.
struct AppGate {
    RateGate gate;
    std::deque<std::pair<std::string, double>> queue;  // account name, calls it will make
    Scheduler::TimerId timer = 0;
    // The 429 window as the app's running jobs see it: kept at least as closed as `gate`.
    std::shared_ptr<RateWindow> window = std::make_shared<RateWindow>();
};

// Who starts a queued poll when its turn comes (the polling module).
class PollTurns {
  public:
    virtual ~PollTurns() = default;
    // False: the account is polling already, so its turn passes to the next in line.
    virtual bool take_turn(Account& account) = 0;
};

class RateGates {
  public:
    RateGates(BridgeCore& core, Scheduler& loop, Metrics& metrics)
        : core_(core), loop_(loop), metrics_(metrics) {}
    void set_turns(PollTurns& turns) { turns_ = &turns; }

    AppGate& gate_of(const Account& account);
    int64_t rate_limited_until_ms(const Account& account) const;  // 0: not limited
    bool take_poll_slot(const Account& account, double calls);    // false: queued for the gate
    // Spotify answered 429: closes the app's gate and says so for every account of the app.
    // Returns how long the account waits before its next poll.
    int64_t close_for(Account& account, const Error& error);
    // A job's call was refused inside its app's window: how long the account waits for its end
    // (and it shows rate_limited when that is long).
    int64_t wait_for_gate(Account& account);

  private:
    void arm_gate_timer(const std::string& app);
    void show_rate_limited(Account& account, int64_t until_ms, const std::string& message);

    BridgeCore& core_;
    Scheduler& loop_;
    Metrics& metrics_;
    PollTurns* turns_ = nullptr;
    // Spotify's rate limit is per app (client id): one gate per app, shared by its accounts.
    std::map<std::string, AppGate> gates_;
};

}  // namespace s2m
