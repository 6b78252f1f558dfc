#include "app/WorkerPool.h"

#include <spdlog/spdlog.h>

namespace s2m {

WorkerPool::WorkerPool(size_t threads, const ClientFactory& make_client) {
    for (size_t i = 0; i < threads; ++i) clients_.push_back(make_client());
    for (size_t i = 0; i < threads; ++i) {
        // The first worker takes urgent jobs only (when there are others for the rest): requests
        // that hang until their timeout can hold every other worker, never a command.
        bool urgent_only = i == 0 && threads > 1;
        threads_.emplace_back([this, i, urgent_only] { work(*clients_[i], urgent_only); });
    }
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) thread.join();
}

void WorkerPool::submit(Job job, bool urgent) {
    {
        std::lock_guard lock(mutex_);
        (urgent ? urgent_ : routine_).push_back(std::move(job));
    }
    // All: the one woken might be the urgent-only worker, which leaves a routine job alone.
    wake_.notify_all();
}

size_t WorkerPool::queued() const {
    std::lock_guard lock(mutex_);
    return urgent_.size() + routine_.size();
}

void WorkerPool::work(HttpClient& client, bool urgent_only) {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this, urgent_only] {
                return stopping_ || !urgent_.empty() || (!urgent_only && !routine_.empty());
            });
            if (stopping_) return;
            auto& queue = urgent_.empty() ? routine_ : urgent_;
            job = std::move(queue.front());
            queue.pop_front();
        }
        try {
            job(client);
        } catch (const std::exception& e) {
            spdlog::error("internal error in an HTTP worker: {}", e.what());
        }
    }
}

}  // namespace s2m
