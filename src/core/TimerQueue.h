// Timers ordered by deadline, for a loop that runs them: app/EventLoop (steady-clock deadlines)
// and the unit tests' manual scheduler (Unix milliseconds). Equal deadlines run in the order they
// were added. Pure and not thread-safe: its owner holds the lock.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>

namespace s2m {

template <typename Deadline>
class TimerQueue {
  public:
    using Task = std::function<void()>;
    using Id = uint64_t;  // from 1: 0 means "no timer"

    Id add(Deadline deadline, Task task) {
        Id id = next_id_++;
        timers_.emplace(std::make_pair(deadline, id), std::move(task));
        deadlines_.emplace(id, deadline);
        return id;
    }
    // A timer that already ran, or was never added, is ignored.
    void cancel(Id id) {
        auto it = deadlines_.find(id);
        if (it == deadlines_.end()) return;
        timers_.erase(std::make_pair(it->second, id));
        deadlines_.erase(it);
    }
    std::optional<Deadline> next_deadline() const {
        if (timers_.empty()) return std::nullopt;
        return timers_.begin()->first.first;
    }
    // Removes and returns the earliest timer due at `now`; an empty Task when none is.
    Task take_due(Deadline now) {
        if (timers_.empty() || now < timers_.begin()->first.first) return {};
        auto it = timers_.begin();
        Task task = std::move(it->second);
        deadlines_.erase(it->first.second);
        timers_.erase(it);
        return task;
    }

  private:
    std::map<std::pair<Deadline, Id>, Task> timers_;  // (deadline, id): ties by id
    std::map<Id, Deadline> deadlines_;
    Id next_id_ = 1;
};

}  // namespace s2m
