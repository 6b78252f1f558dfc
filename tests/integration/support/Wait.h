// Waiting for state a test can only ask for (an HTTP page, /metrics, the fake's request log, a
// file): ask again until the answer is right or the time is up. MQTT messages have
// MqttProbe::wait_for. A value read once right after an action is a guess on a loaded machine.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace s2m::test {

// Whether `condition` held within `timeout`, asked every `interval`: at once, and once more at
// the deadline, so a slow machine only makes a passing test slower.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10),
                       std::chrono::milliseconds interval = std::chrono::milliseconds(50)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(interval);
    }
}

}  // namespace s2m::test
