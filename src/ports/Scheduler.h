// Port: where the bridge's loop code runs its tasks and timers. Implemented by app/EventLoop
// (one thread, real timers); unit tests use a scheduler that runs what is due when they say so.
// Every task runs on the one loop thread, so the loop code needs no locks of its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace s2m {

class Scheduler {
  public:
    using Task = std::function<void()>;
    using TimerId = uint64_t;  // 0 is never an id: "no timer"

    virtual ~Scheduler() = default;
    // Thread-safe. Tasks run in the order posted.
    virtual void post(Task task) = 0;
    // Thread-safe. Runs `task` on the loop after `delay` on the bridge's clock (ports/Clock.h);
    // returns an id for cancel().
    virtual TimerId post_after(std::chrono::milliseconds delay, Task task) = 0;
    // Loop thread only. Cancelling a timer that already ran (or id 0) is harmless.
    virtual void cancel(TimerId id) = 0;
};

}  // namespace s2m
