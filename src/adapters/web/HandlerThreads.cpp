#include "adapters/web/HandlerThreads.h"

namespace s2m {

HandlerThreads::HandlerThreads(size_t count) {
    for (size_t i = 0; i < count; ++i) threads_.emplace_back([this] { run(); });
}

HandlerThreads::~HandlerThreads() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) thread.join();
}

void HandlerThreads::post(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
}

void HandlerThreads::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        // Queued jobs run even when stopping: each one holds a suspended connection that must be
        // answered (and resumed) before the server may stop.
        if (jobs_.empty()) return;
        std::function<void()> job = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        job();
        lock.lock();
    }
}

}  // namespace s2m
