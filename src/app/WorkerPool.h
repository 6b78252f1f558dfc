// A few threads that do blocking HTTP work, each with its own HttpClient (libcurl easy handles
// are not shareable). Jobs must not touch bridge state: they compute a result and post it to
// the loop. Urgent jobs (commands) go ahead of routine ones (polls), and one worker is kept for
// urgent jobs alone.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "ports/HttpClient.h"

namespace s2m {

class WorkerPool {
  public:
    using Job = std::function<void(HttpClient&)>;
    using ClientFactory = std::function<std::unique_ptr<HttpClient>()>;

    WorkerPool(size_t threads, const ClientFactory& make_client);
    ~WorkerPool();  // finishes running jobs, drops queued ones
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void submit(Job job, bool urgent = false);
    size_t queued() const;

  private:
    void work(HttpClient& client, bool urgent_only);

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> urgent_;
    std::deque<Job> routine_;
    bool stopping_ = false;
    std::vector<std::unique_ptr<HttpClient>> clients_;
    std::vector<std::thread> threads_;
};

}  // namespace s2m
