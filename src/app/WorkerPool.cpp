#include "app/WorkerPool.h"

#include <spdlog/spdlog.h>

namespace s2m {

WorkerPool::WorkerPool(size_t threads, const ClientFactory& make_client) {
    for (size_t i = 0; i < threads; ++i) clients_.push_back(make_client());
    for (size_t i = 0; i < threads; ++i) {
        threads_.emplace_back([this, i] { work(*clients_[i]); });
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
    wake_.notify_one();
}

size_t WorkerPool::queued() const {
    std::lock_guard lock(mutex_);
    return urgent_.size() + routine_.size();
}

void WorkerPool::work(HttpClient& client) {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !urgent_.empty() || !routine_.empty(); });
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
