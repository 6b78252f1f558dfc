// The MQTT reconnect supervisor (src/adapters/mqtt/ReconnectSupervisor.h) against a scripted
// client: every connect attempt answers with the next scripted result.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "adapters/mqtt/ReconnectSupervisor.h"

using namespace std::chrono_literals;
using s2m::ConnectAttempt;
using AttemptResult = ConnectAttempt::Result;

namespace {
// Results beyond the script hang (until stopped), as a wedged client's attempt would.
class ScriptedClient : public s2m::ReconnectTarget {
  public:
    explicit ScriptedClient(std::deque<AttemptResult> script) : script_(std::move(script)) {}

    ConnectAttempt connect_once(std::stop_token stop) override {
        std::unique_lock lock(mutex_);
        if (up_) return {AttemptResult::connected, ""};  // no attempt made
        ++attempts_;
        changed_.notify_all();
        if (script_.empty()) {
            changed_.wait(lock, stop, [] { return false; });
            return {AttemptResult::stopped, ""};
        }
        AttemptResult result = script_.front();
        script_.pop_front();
        if (result == AttemptResult::connected) {
            ++connects_;
            up_ = true;
        }
        changed_.notify_all();
        return {result, "scripted"};
    }
    void recreate_client() override {
        std::lock_guard lock(mutex_);
        ++recreates_;
        recreated_after_.push_back(attempts_);
    }
    // The connection drops; the next attempts answer with `more`.
    void drop(std::deque<AttemptResult> more) {
        std::lock_guard lock(mutex_);
        up_ = false;
        script_ = std::move(more);
    }
    // Generous bound: only a supervisor that never gets there fails the wait.
    bool wait_until(const std::function<bool()>& done) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 20s, done);
    }

    std::mutex mutex_;
    std::condition_variable_any changed_;
    std::deque<AttemptResult> script_;
    bool up_ = false;
    int attempts_ = 0, connects_ = 0, recreates_ = 0;
    std::vector<int> recreated_after_;  // attempts made when each recreate happened
};

s2m::ReconnectPolicy quick() {
    return {.min_delay = 1ms,
            .max_delay = 4ms,
            .recreate_after_failures = 3,
            .health_check = 1h,
            .stable_after = 0ms};  // no connection counts as brief, unless a test says so
}
double half() {
    return 0.5;
}
}  // namespace

TEST_CASE("a broker down at start is retried until it answers, with a new client now and then",
          "[mqtt][reconnect]") {
    ScriptedClient client({AttemptResult::failed, AttemptResult::failed, AttemptResult::failed,
                           AttemptResult::failed, AttemptResult::failed, AttemptResult::failed,
                           AttemptResult::failed, AttemptResult::connected});
    s2m::ReconnectSupervisor supervisor(client, quick(), half);
    supervisor.start();
    REQUIRE(client.wait_until([&] { return client.connects_ == 1; }));
    supervisor.stop();
    CHECK(client.attempts_ == 8);
    // After every third failure in a row: a client that keeps failing may be the problem.
    CHECK(client.recreated_after_ == std::vector<int>{3, 6});
}

TEST_CASE("an attempt without an answer replaces the client at once", "[mqtt][reconnect]") {
    ScriptedClient client({AttemptResult::no_answer, AttemptResult::connected});
    s2m::ReconnectSupervisor supervisor(client, quick(), half);
    supervisor.start();
    REQUIRE(client.wait_until([&] { return client.connects_ == 1; }));
    supervisor.stop();
    CHECK(client.recreated_after_ == std::vector<int>{1});
}

TEST_CASE("every lost connection is reconnected, lost again while reconnecting included",
          "[mqtt][reconnect]") {
    ScriptedClient client({AttemptResult::connected});
    s2m::ReconnectSupervisor supervisor(client, quick(), half);
    supervisor.start();
    REQUIRE(client.wait_until([&] { return client.connects_ == 1; }));
    for (int round = 2; round <= 4; ++round) {
        client.drop({AttemptResult::failed, AttemptResult::connected});
        supervisor.connection_lost();
        REQUIRE(client.wait_until([&] { return client.connects_ == round; }));
    }
    CHECK(client.attempts_ == 7);
    // Two losses before the supervisor woke: one reconnect does for both, and nothing is lost.
    client.drop({AttemptResult::connected, AttemptResult::connected});
    supervisor.connection_lost();
    supervisor.connection_lost();
    REQUIRE(client.wait_until([&] { return client.connects_ == 5; }));
    supervisor.stop();
    CHECK(client.connects_ == 5);
    CHECK(client.recreates_ == 0);  // never three failures in a row
}

TEST_CASE("a client the broker drops right after every connect is replaced after three",
          "[mqtt][reconnect]") {
    ScriptedClient client({AttemptResult::connected});
    auto policy = quick();
    policy.stable_after = 1h;  // every connection below counts as brief
    s2m::ReconnectSupervisor supervisor(client, policy, half);
    supervisor.start();
    REQUIRE(client.wait_until([&] { return client.connects_ == 1; }));
    for (int round = 2; round <= 4; ++round) {
        client.drop({AttemptResult::connected});
        supervisor.connection_lost();
        REQUIRE(client.wait_until([&] { return client.connects_ == round; }));
    }
    supervisor.stop();
    // Three connections lost at once: the third loss replaces the client before reconnecting.
    CHECK(client.recreated_after_ == std::vector<int>{3});
}

TEST_CASE("connections that last are not counted as brief", "[mqtt][reconnect]") {
    ScriptedClient client({AttemptResult::connected});
    auto policy = quick();
    policy.stable_after = 1ms;
    s2m::ReconnectSupervisor supervisor(client, policy, half);
    supervisor.start();
    REQUIRE(client.wait_until([&] { return client.connects_ == 1; }));
    for (int round = 2; round <= 5; ++round) {
        std::this_thread::sleep_for(5ms);  // longer than stable_after
        client.drop({AttemptResult::connected});
        supervisor.connection_lost();
        REQUIRE(client.wait_until([&] { return client.connects_ == round; }));
    }
    supervisor.stop();
    CHECK(client.recreates_ == 0);
}

TEST_CASE("a connection lost without a word from the client is noticed and reconnected",
          "[mqtt][reconnect]") {
    ScriptedClient client({AttemptResult::connected});
    auto policy = quick();
    policy.health_check = 1ms;
    s2m::ReconnectSupervisor supervisor(client, policy, half);
    supervisor.start();
    REQUIRE(client.wait_until([&] { return client.connects_ == 1; }));
    client.drop({AttemptResult::connected});  // and no connection_lost()
    REQUIRE(client.wait_until([&] { return client.connects_ == 2; }));
    supervisor.stop();
    CHECK(client.attempts_ == 2);
}

TEST_CASE("stop ends a hanging attempt and a long wait", "[mqtt][reconnect]") {
    SECTION("an attempt that never answers") {
        ScriptedClient client({});
        s2m::ReconnectSupervisor supervisor(client, quick(), half);
        supervisor.start();
        REQUIRE(client.wait_until([&] { return client.attempts_ == 1; }));
        supervisor.stop();  // a supervisor that ignored it would hang the test here
        CHECK(client.connects_ == 0);
    }
    SECTION("an hour before the next attempt") {
        ScriptedClient client({AttemptResult::failed});
        s2m::ReconnectSupervisor supervisor(
            client,
            {.min_delay = 1h, .max_delay = 2h, .recreate_after_failures = 3, .health_check = 1h},
            half);
        supervisor.start();
        REQUIRE(client.wait_until([&] { return client.attempts_ == 1 && client.script_.empty(); }));
        supervisor.stop();
        CHECK(client.attempts_ == 1);
    }
    SECTION("stopped before it ever started, and stopped twice") {
        ScriptedClient client({});
        s2m::ReconnectSupervisor supervisor(client, quick(), half);
        supervisor.stop();
        supervisor.start();
        supervisor.stop();
        supervisor.stop();
    }
}

TEST_CASE("reconnect delays double up to the cap, jittered in their upper half",
          "[mqtt][reconnect]") {
    s2m::ReconnectPolicy policy;  // 1 s .. 30 s
    using std::chrono::milliseconds;
    for (double r : {0.0, 0.3, 0.999}) {
        INFO("random " << r);
        CHECK(s2m::reconnect_delay(1, policy, r) == milliseconds(1000));  // never below 1 s
        auto second = s2m::reconnect_delay(2, policy, r);
        CHECK((second >= milliseconds(1000) && second <= milliseconds(2000)));
        auto fifth = s2m::reconnect_delay(5, policy, r);
        CHECK((fifth >= milliseconds(8000) && fifth <= milliseconds(16000)));
        for (int failures : {6, 7, 40, 1000}) {
            auto capped = s2m::reconnect_delay(failures, policy, r);
            CHECK((capped >= milliseconds(15000) && capped <= milliseconds(30000)));
        }
    }
    CHECK(s2m::reconnect_delay(5, policy, 0.0) == milliseconds(8000));
    CHECK(s2m::reconnect_delay(5, policy, 1.0) == milliseconds(16000));
    CHECK(s2m::reconnect_delay(3, policy, 0.5) == milliseconds(3000));
}
