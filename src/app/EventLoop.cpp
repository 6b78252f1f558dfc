#include "app/EventLoop.h"

#include <spdlog/spdlog.h>

#include "app/BridgeClock.h"

namespace s2m {

void EventLoop::post(Task task) {
    {
        std::lock_guard lock(mutex_);
        tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
}

EventLoop::TimerId EventLoop::post_after(std::chrono::milliseconds delay, Task task) {
    std::lock_guard lock(mutex_);
    TimerId id = timers_.add(Clock::now() + real_duration(delay), std::move(task));
    wake_.notify_one();
    return id;
}

void EventLoop::cancel(TimerId id) {
    std::lock_guard lock(mutex_);
    timers_.cancel(id);
}

void EventLoop::run() {
    std::unique_lock lock(mutex_);
    while (!stopped_) {
        heartbeat_ = Clock::now();
        Task task;
        if (!tasks_.empty()) {
            task = std::move(tasks_.front());
            tasks_.pop_front();
        } else {
            task = timers_.take_due(Clock::now());
        }
        if (!task) {
            // Wake at least every 5 s so the heartbeat shows a live, idle loop.
            auto until = Clock::now() + std::chrono::seconds(5);
            if (auto next = timers_.next_deadline()) until = std::min(until, *next);
            wake_.wait_until(lock, until);
            continue;
        }
        lock.unlock();
        try {
            task();
        } catch (const std::exception& e) {
            // A bug in one handler must not take the bridge down; it is logged loudly instead.
            spdlog::error("internal error in the event loop: {}", e.what());
        }
        lock.lock();
    }
}

void EventLoop::stop() {
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
    }
    wake_.notify_all();
}

EventLoop::Clock::time_point EventLoop::last_heartbeat() const {
    std::lock_guard lock(mutex_);
    return heartbeat_;
}

}  // namespace s2m
