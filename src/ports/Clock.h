// Port: the time the bridge's decisions use (poll schedule, token expiry, rate-limit windows,
// stale commands), in milliseconds since the Unix epoch. Implemented by app/BridgeClock's
// RealClock (which a benchmark may speed up); unit tests use a clock they advance by hand.
#pragma once

#include <cstdint>

namespace s2m {

class Clock {
  public:
    virtual ~Clock() = default;
    // Thread-safe: jobs on worker threads read it too.
    virtual int64_t now_ms() const = 0;
    // How far local time is ahead of UTC at `at_ms` (negative west of Greenwich; it moves with
    // daylight saving time). The listening habits count hours of the account's week in local
    // time (docs/configuration.md#polling). The default, UTC, is what tests start from.
    virtual int64_t utc_offset_ms(int64_t /*at_ms*/) const { return 0; }
};

}  // namespace s2m
