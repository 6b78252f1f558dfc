// The simulated day's clock for live_day_bench: the bench sends each change at its time of day
// and reads the fake's request log and the MQTT messages back onto the day (docs/comparison.md:
// both the bridge's and the fake's clocks run `speed` times faster than real time).
#pragma once

#include <chrono>
#include <cstdint>

namespace s2m::bench {

struct DayClock {
    using Clock = std::chrono::steady_clock;

    Clock::time_point start;  // the day's midnight, in real time
    double speed;

    // Day ms = real time since the day started × speed.
    int64_t day_ms(Clock::time_point t) const {
        return static_cast<int64_t>(std::chrono::duration<double, std::milli>(t - start).count() *
                                    speed);
    }
    Clock::time_point real(int64_t day_ms) const {
        return start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double, std::milli>(day_ms / speed));
    }
};

}  // namespace s2m::bench
