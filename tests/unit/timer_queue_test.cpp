// core/TimerQueue: what app/EventLoop and the tests' manual scheduler rely on.
#include <catch2/catch.hpp>

#include <string>

#include "core/TimerQueue.h"

using namespace s2m;

TEST_CASE("timers come due in deadline order, ties in the order they were added", "[timer_queue]") {
    TimerQueue<int> timers;
    std::string ran;
    timers.add(20, [&] { ran += "c"; });
    timers.add(10, [&] { ran += "a"; });
    timers.add(10, [&] { ran += "b"; });
    CHECK(timers.next_deadline() == 10);
    CHECK_FALSE(timers.take_due(9));  // nothing due yet
    while (auto task = timers.take_due(15)) task();
    CHECK(ran == "ab");
    CHECK(timers.next_deadline() == 20);
    timers.take_due(20)();
    CHECK(ran == "abc");
    CHECK_FALSE(timers.next_deadline());
}

TEST_CASE("a cancelled timer never comes due, and cancelling twice or id 0 is harmless",
          "[timer_queue]") {
    TimerQueue<int> timers;
    bool ran = false;
    auto id = timers.add(5, [&] { ran = true; });
    auto other = timers.add(5, [] {});
    timers.cancel(id);
    timers.cancel(id);
    timers.cancel(0);
    CHECK(timers.take_due(5));  // `other`
    CHECK_FALSE(timers.take_due(5));
    CHECK_FALSE(ran);
    CHECK(other != id);
}
