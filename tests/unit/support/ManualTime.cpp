#include "ManualTime.h"

#include <stdexcept>

namespace s2m::test {

void ManualClock::set(int64_t now_ms) {
    if (now_ms < now_ms_) throw std::logic_error("ManualClock: time cannot go back");
    now_ms_ = now_ms;
}

void ManualScheduler::post(Task task) {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
}

Scheduler::TimerId ManualScheduler::post_after(std::chrono::milliseconds delay, Task task) {
    std::lock_guard lock(mutex_);
    return timers_.add(clock_.now_ms() + std::max<int64_t>(0, delay.count()), std::move(task));
}

void ManualScheduler::cancel(TimerId id) {
    std::lock_guard lock(mutex_);
    timers_.cancel(id);
}

bool ManualScheduler::run_next() {
    Task task;
    {
        std::lock_guard lock(mutex_);
        if (!tasks_.empty()) {
            task = std::move(tasks_.front());
            tasks_.pop_front();
        } else {
            task = timers_.take_due(clock_.now_ms());
        }
    }
    if (!task) return false;
    task();  // unlocked: the task posts and sets timers of its own
    return true;
}

std::optional<int64_t> ManualScheduler::next_timer_at_ms() const {
    std::lock_guard lock(mutex_);
    return timers_.next_deadline();
}

}  // namespace s2m::test
