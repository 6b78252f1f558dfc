// A clock and a scheduler that only move when a test says so: the bridge's loop runs on the
// test's thread, timers fire in deadline order at their own instant, and nothing sleeps.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "core/TimerQueue.h"
#include "ports/Clock.h"
#include "ports/Scheduler.h"

namespace s2m::test {

class ManualClock : public Clock {
  public:
    explicit ManualClock(int64_t start_ms) : now_ms_(start_ms) {}
    int64_t now_ms() const override { return now_ms_; }
    // Time only moves forward: a deadline in the past would run timers out of order.
    void set(int64_t now_ms);

  private:
    std::atomic<int64_t> now_ms_;  // the port promises any thread may read it
};

class ManualScheduler : public Scheduler {
  public:
    explicit ManualScheduler(const ManualClock& clock) : clock_(clock) {}

    void post(Task task) override;
    TimerId post_after(std::chrono::milliseconds delay, Task task) override;
    void cancel(TimerId id) override;

    // Runs one posted task, else the earliest timer due at the clock's time (ties in the order
    // they were set, as app/EventLoop does). False when nothing is ready.
    bool run_next();
    // When the earliest timer is due, if any.
    std::optional<int64_t> next_timer_at_ms() const;

  private:
    const ManualClock& clock_;
    mutable std::mutex mutex_;  // post() may come from any thread, as the port allows
    std::deque<Task> tasks_;
    TimerQueue<int64_t> timers_;  // due at Unix ms; ties in the order set
};

}  // namespace s2m::test
