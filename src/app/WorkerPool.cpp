#include "app/WorkerPool.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <system_error>

namespace s2m {

WorkerPool::WorkerPool(ClientFactory make_client, Options options)
    : make_client_(std::move(make_client)), options_(options) {}

WorkerPool::~WorkerPool() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        for (Worker* worker : idle_) worker->wake.notify_one();
        for (Worker& worker : workers_) threads.push_back(std::move(worker.thread));
        for (std::thread& thread : retired_) threads.push_back(std::move(thread));
    }
    for (std::thread& thread : threads) thread.join();
}

void WorkerPool::submit(const std::string& lane, Job job) {
    std::vector<std::thread> ended;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        ended.swap(retired_);
        auto [waiting, idle_lane] = busy_lanes_.try_emplace(lane);
        if (idle_lane) {
            assign(Task{lane, std::move(job)});
        } else {
            waiting->second.push_back(std::move(job));  // one at a time per lane
        }
    }
    // They have left work() already; joining only collects them.
    for (std::thread& thread : ended) thread.join();
}

size_t WorkerPool::threads() const {
    std::lock_guard lock(mutex_);
    return workers_.size();
}

void WorkerPool::assign(Task task) {
    if (!idle_.empty()) {
        Worker* worker = idle_.back();
        idle_.pop_back();
        worker->task = std::move(task);
        worker->wake.notify_one();
        return;
    }
    Worker& worker = workers_.emplace_back();
    try {
        worker.client = make_client_();
        worker.task = std::move(task);
        // It starts by taking mutex_, which is held here until `thread` is set.
        worker.thread = std::thread([this, &worker] { work(worker); });
    } catch (const std::exception& e) {
        // Out of threads or memory: the job waits for the next thread that becomes free.
        spdlog::error("cannot start an HTTP worker thread: {}", e.what());
        unstaffed_.push_back(worker.task ? std::move(*worker.task) : std::move(task));
        workers_.pop_back();
    }
}

void WorkerPool::work(Worker& self) {
    std::unique_lock lock(mutex_);
    for (;;) {
        Task task = std::move(*self.task);
        self.task.reset();
        lock.unlock();
        try {
            task.job(*self.client);
        } catch (const std::exception& e) {
            spdlog::error("internal error in an HTTP worker: {}", e.what());
        }
        task.job = nullptr;  // what it captured goes now, not when the next job comes
        lock.lock();
        Next next = next_task(lock, self, task.lane);
        if (next == Next::Stop) return;
        if (next == Next::Retired) {
            lock.unlock();
            // The pool shrinks after a busy moment (the start, hanging accounts): give what
            // its jobs allocated back to the system, or the peak would stay resident.
            malloc_trim(0);
            return;
        }
    }
}

WorkerPool::Next WorkerPool::next_task(std::unique_lock<std::mutex>& lock, Worker& self,
                                       const std::string& lane) {
    auto waiting = busy_lanes_.find(lane);
    if (!stopping_ && !waiting->second.empty()) {
        self.task = Task{lane, std::move(waiting->second.front())};
        waiting->second.pop_front();
        return Next::Task;
    }
    busy_lanes_.erase(waiting);
    for (;;) {
        if (stopping_) return Next::Stop;
        if (!unstaffed_.empty()) {
            self.task = std::move(unstaffed_.front());
            unstaffed_.pop_front();
            return Next::Task;
        }
        idle_.push_back(&self);
        self.wake.wait_for(lock, options_.idle_timeout, [&] { return self.task || stopping_; });
        if (self.task) return Next::Task;  // assign() took it off idle_
        idle_.erase(std::find(idle_.begin(), idle_.end(), &self));
        if (!stopping_ && workers_.size() > options_.warm_threads) {
            retire(self);
            return Next::Retired;
        }
    }
}

void WorkerPool::retire(Worker& self) {
    retired_.push_back(std::move(self.thread));
    workers_.remove_if([&](const Worker& worker) { return &worker == &self; });
}

}  // namespace s2m
