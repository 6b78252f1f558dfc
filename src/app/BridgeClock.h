// The bridge's clock: the Unix time its decisions use (poll schedule, token expiry, rate-limit
// windows, stale commands) and the real time its event-loop timers take.
//
// Normally that is simply the real clock. For benchmarks only, SPOTIFY2MQTT_BENCH_TIME_SCALE=N
// makes the bridge's time run N times faster, so a simulated listening day against the fake
// Spotify (whose clock can run as fast) takes 24/N hours instead of a day. Network timeouts, MQTT
// keep-alives and the short pauses between retries of one request stay in real time.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "ports/Clock.h"

namespace s2m {

inline constexpr const char* kTimeScaleVariable = "SPOTIFY2MQTT_BENCH_TIME_SCALE";
inline constexpr double kMaxTimeScale = 1000.0;

// The variable's value as a scale (1 to kMaxTimeScale), or a sentence saying what is wrong.
struct TimeScaleSetting {
    double scale = 1.0;
    std::optional<std::string> error;
};
TimeScaleSetting parse_time_scale(const char* value);  // null: not set, real time

// Sets the scale. Call once, before any thread reads the clock (main, before the App starts).
void set_time_scale(double scale);
double time_scale();

// Milliseconds since the Unix epoch, on the bridge's clock.
int64_t unix_now_ms();
// The machine's local time zone (TZ, else /etc/localtime) ahead of UTC at `at_ms`, in ms.
int64_t local_utc_offset_ms(int64_t at_ms);
// The zone as a log can say it: "UTC+01:00 (CET)".
std::string local_zone_description(int64_t at_ms);
// The ports/Clock.h the daemon runs on: unix_now_ms(), so a bench time scale speeds it up too.
class RealClock final : public Clock {
  public:
    int64_t now_ms() const override { return unix_now_ms(); }
    int64_t utc_offset_ms(int64_t at_ms) const override { return local_utc_offset_ms(at_ms); }
};

// How long a wait of `bridge_time` on the bridge's clock takes in real time.
std::chrono::steady_clock::duration real_duration(std::chrono::milliseconds bridge_time);

}  // namespace s2m
