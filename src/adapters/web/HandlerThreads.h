// A few threads that run the page's handlers, so that the server's one network thread never
// waits for the bridge (a link waits up to 25 s for Spotify). Jobs run in order of arrival.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace s2m {

class HandlerThreads {
  public:
    explicit HandlerThreads(size_t count);
    ~HandlerThreads();  // runs every job still queued, then joins
    HandlerThreads(const HandlerThreads&) = delete;
    HandlerThreads& operator=(const HandlerThreads&) = delete;

    void post(std::function<void()> job);

  private:
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace s2m
