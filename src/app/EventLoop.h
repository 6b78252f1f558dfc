// The one thread that owns all bridge state (the ports/Scheduler.h the bridge runs on). Other
// threads (Paho, HTTP workers, signal handling) only post() closures to it; timers run on it too.
// Nothing here blocks except the wait for work.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>

#include "core/TimerQueue.h"
#include "ports/Scheduler.h"

namespace s2m {

class EventLoop : public Scheduler {
  public:
    using Clock = std::chrono::steady_clock;

    // Thread-safe. Tasks run in the order posted.
    void post(Task task) override;
    // Thread-safe. Runs `task` on the loop after `delay` on the bridge's clock (BridgeClock.h:
    // real time unless a benchmark speeds it up); returns an id for cancel().
    TimerId post_after(std::chrono::milliseconds delay, Task task) override;
    // Loop thread only (or before run()). Cancelling a timer that already ran is harmless.
    void cancel(TimerId id) override;

    // Runs until stop(); returns on the calling thread, which becomes the loop thread.
    void run();
    // Thread-safe.
    void stop();

    // When the loop last finished a task or woke up (for /healthz: the loop is alive).
    Clock::time_point last_heartbeat() const;

  private:
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Task> tasks_;
    TimerQueue<Clock::time_point> timers_;  // equal deadlines run in posting order
    bool stopped_ = false;
    Clock::time_point heartbeat_ = Clock::now();
};

}  // namespace s2m
