// WorkerPool: a lane with work never waits for a thread, so jobs hanging in any number of other
// lanes never hold a job back; a lane runs its jobs one at a time, in order; idle threads end.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "app/WorkerPool.h"

using namespace s2m;
using namespace std::chrono_literals;

namespace {

struct NoHttp : HttpClient {
    Result<HttpResponse> send(const HttpRequest&) override {
        return Error{ErrorKind::Network, "not in this test"};
    }
};

WorkerPool::ClientFactory no_http() {
    return [] { return std::make_unique<NoHttp>(); };
}

// Jobs that hang until released, like requests waiting for their timeout.
struct Gate {
    std::mutex mutex;
    std::condition_variable cv;
    bool open = false;
    int waiting = 0;
    void wait() {
        std::unique_lock lock(mutex);
        ++waiting;
        cv.notify_all();
        cv.wait(lock, [this] { return open; });
    }
    bool wait_for_waiting(int count) {
        std::unique_lock lock(mutex);
        return cv.wait_for(lock, 10s, [&] { return waiting >= count; });
    }
    void release() {
        {
            std::lock_guard lock(mutex);
            open = true;
        }
        cv.notify_all();
    }
};

bool eventually(const std::function<bool()>& condition) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

}  // namespace

TEST_CASE("a job runs while jobs hang in any number of other lanes", "[worker_pool]") {
    Gate gate;
    std::promise<void> command_ran;
    {
        WorkerPool pool(no_http());
        // More hanging lanes than any fixed pool would have threads: two per account.
        for (int account = 0; account < 20; ++account) {
            for (const char* kind : {"poll/", "command/"}) {
                pool.submit(kind + std::to_string(account), [&](HttpClient&) { gate.wait(); });
            }
        }
        REQUIRE(gate.wait_for_waiting(40));
        pool.submit("command/healthy", [&](HttpClient&) { command_ran.set_value(); });
        CHECK(command_ran.get_future().wait_for(10s) == std::future_status::ready);
        CHECK(pool.threads() == 41);
        gate.release();
    }
}

TEST_CASE("a lane runs one job at a time, in the order submitted", "[worker_pool]") {
    Gate gate;
    std::mutex mutex;
    std::vector<int> order;
    std::atomic<int> running{0};
    std::atomic<int> most_at_once{0};
    std::promise<void> last_ran;
    {
        WorkerPool pool(no_http());
        for (int i = 0; i < 5; ++i) {
            pool.submit("poll/alice", [&, i](HttpClient&) {
                int now = ++running;
                most_at_once = std::max(most_at_once.load(), now);
                if (i == 0) gate.wait();  // the rest wait behind it
                {
                    std::lock_guard lock(mutex);
                    order.push_back(i);
                }
                --running;
                if (i == 4) last_ran.set_value();
            });
        }
        REQUIRE(gate.wait_for_waiting(1));
        CHECK(pool.threads() == 1);  // the waiting jobs hold no thread
        gate.release();
        REQUIRE(last_ran.get_future().wait_for(10s) == std::future_status::ready);
    }
    CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(most_at_once == 1);
}

TEST_CASE("a job that throws leaves its lane working", "[worker_pool]") {
    std::promise<void> next_ran;
    WorkerPool pool(no_http());
    pool.submit("cover/alice", [](HttpClient&) { throw std::runtime_error("boom"); });
    pool.submit("cover/alice", [&](HttpClient&) { next_ran.set_value(); });
    CHECK(next_ran.get_future().wait_for(10s) == std::future_status::ready);
}

TEST_CASE("threads idle for the idle timeout end, but the warm ones", "[worker_pool]") {
    Gate gate;
    WorkerPool pool(no_http(), WorkerPool::Options{.idle_timeout = 50ms, .warm_threads = 1});
    for (int account = 0; account < 6; ++account)
        pool.submit("poll/" + std::to_string(account), [&](HttpClient&) { gate.wait(); });
    REQUIRE(gate.wait_for_waiting(6));
    CHECK(pool.threads() == 6);
    gate.release();
    CHECK(eventually([&] { return pool.threads() == 1; }));
    // The warm thread still serves, and ended threads do not come back.
    std::promise<void> ran;
    pool.submit("poll/0", [&](HttpClient&) { ran.set_value(); });
    CHECK(ran.get_future().wait_for(10s) == std::future_status::ready);
    CHECK(pool.threads() == 1);
}
