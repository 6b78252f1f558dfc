// WorkerPool: urgent jobs go first, and one worker is kept for them, so requests hanging on every
// other worker never hold a command back.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>

#include "app/WorkerPool.h"

using namespace s2m;

namespace {

struct NoHttp : HttpClient {
    Result<HttpResponse> send(const HttpRequest&) override {
        return Error{ErrorKind::Network, "not in this test"};
    }
};

// Jobs that hang until released, like requests waiting for their timeout.
struct Gate {
    std::mutex mutex;
    std::condition_variable cv;
    bool open = false;
    void wait() {
        std::unique_lock lock(mutex);
        cv.wait(lock, [this] { return open; });
    }
    void release() {
        {
            std::lock_guard lock(mutex);
            open = true;
        }
        cv.notify_all();
    }
};

}  // namespace

TEST_CASE("a command runs while every routine worker hangs", "[worker_pool]") {
    Gate gate;
    std::atomic<int> started{0};
    std::promise<void> command_ran;
    {
        WorkerPool pool(3, [] { return std::make_unique<NoHttp>(); });
        // More hanging polls than workers.
        for (int i = 0; i < 4; ++i) {
            pool.submit([&](HttpClient&) {
                ++started;
                gate.wait();
            });
        }
        pool.submit([&](HttpClient&) { command_ran.set_value(); }, /*urgent=*/true);
        auto ran = command_ran.get_future().wait_for(std::chrono::seconds(10));
        CHECK(ran == std::future_status::ready);
        CHECK(started <= 2);  // the kept worker took no poll
        gate.release();
    }  // the destructor drains: the queued poll may or may not have run
}

TEST_CASE("with one worker every job still runs, urgent first", "[worker_pool]") {
    std::mutex mutex;
    std::vector<std::string> order;
    Gate gate;
    std::promise<void> done;
    {
        WorkerPool pool(1, [] { return std::make_unique<NoHttp>(); });
        pool.submit([&](HttpClient&) { gate.wait(); });  // holds the only worker
        pool.submit([&](HttpClient&) {
            std::lock_guard lock(mutex);
            order.push_back("routine");
            done.set_value();
        });
        pool.submit(
            [&](HttpClient&) {
                std::lock_guard lock(mutex);
                order.push_back("urgent");
            },
            true);
        gate.release();
        CHECK(done.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    }
    CHECK(order == std::vector<std::string>{"urgent", "routine"});
}
