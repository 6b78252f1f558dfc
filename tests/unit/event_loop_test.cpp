#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "app/EventLoop.h"

using namespace s2m;
using namespace std::chrono_literals;

TEST_CASE("tasks run in posting order on the loop thread, timers by deadline", "[event_loop]") {
    EventLoop loop;
    std::vector<std::string> order;
    std::thread::id loop_thread;
    loop.post_after(30ms, [&] { order.push_back("timer-30"); });
    loop.post_after(10ms, [&] { order.push_back("timer-10"); });
    auto cancelled = loop.post_after(20ms, [&] { order.push_back("cancelled"); });
    loop.cancel(cancelled);
    loop.post([&] {
        loop_thread = std::this_thread::get_id();
        order.push_back("a");
    });
    loop.post([&] { order.push_back("b"); });
    loop.post_after(40ms, [&] { loop.stop(); });
    std::thread runner([&] { loop.run(); });
    auto runner_id = runner.get_id();
    runner.join();
    CHECK(order == std::vector<std::string>{"a", "b", "timer-10", "timer-30"});
    CHECK(loop_thread == runner_id);
}

TEST_CASE("a task that throws does not stop the loop", "[event_loop]") {
    EventLoop loop;
    bool after = false;
    loop.post([] { throw std::runtime_error("boom"); });
    loop.post([&] {
        after = true;
        loop.stop();
    });
    loop.run();
    CHECK(after);
}

TEST_CASE("posting from many threads loses nothing", "[event_loop]") {
    EventLoop loop;
    std::atomic<int> posted{0};
    int ran = 0;
    std::vector<std::thread> posters;
    for (int t = 0; t < 4; ++t) {
        posters.emplace_back([&] {
            for (int i = 0; i < 1000; ++i) {
                loop.post([&] { ++ran; });
                ++posted;
            }
        });
    }
    for (auto& p : posters) p.join();
    loop.post([&] { loop.stop(); });
    loop.run();
    CHECK(ran == 4000);
}
