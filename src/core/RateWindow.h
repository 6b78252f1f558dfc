// The 429 window of one Spotify app as the jobs on worker threads see it. The loop's RateGate
// (core/RateGate.h) decides when a poll or command may START; a job already running makes
// several calls, and one of them may come after another request of the same app got a 429.
// So every Web API call (spotify/WebApi.h, ApiSession) first asks this window, and a call inside it
// fails at once with a refusal instead of reaching Spotify (docs/robustness.md: a 429 stops every
// request of that app until Retry-After has passed).
//
// Thread rule: one per app, shared (std::shared_ptr) by the loop's AppGate and the requests of
// the jobs it starts. Any thread may read it; it is only ever closed further, never opened or
// shortened: by the job that received a 429 (so its siblings stop at once, before the loop has
// heard of it) and by the loop when it learns of one. Everything else about the rate limit
// (pacing, the poll queue, availability) stays the loop's.
#pragma once

#include <atomic>
#include <cstdint>

#include "core/Result.h"

namespace s2m {

// A 429 without Retry-After: Spotify's own window is 30 s.
inline constexpr int64_t kDefaultRetryAfterMs = 30 * 1000;
// QUOTA_EXCEEDED without a (longer) Retry-After: look again in an hour.
inline constexpr int64_t kQuotaWindowMs = 60 * 60 * 1000;
// Windows longer than this take the app's accounts offline (rate_limited); shorter ones show in
// diagnostics only (docs/mqtt.md).
inline constexpr int64_t kLongRateLimitMs = 60 * 1000;

// How long nothing may be sent after this 429 answer.
int64_t rate_limit_window_ms(const Error& error);
bool is_quota_exceeded(const Error& error);

class RateWindow {
  public:
    int64_t closed_until_ms() const { return closed_until_ms_.load(std::memory_order_acquire); }
    bool closed(int64_t now_ms) const { return now_ms < closed_until_ms(); }
    // Nothing until `until_ms` (a later end than the current one wins). Returns the end.
    int64_t close_until(int64_t until_ms);

  private:
    std::atomic<int64_t> closed_until_ms_{0};
};

// The error a call gets when the window is closed at `now_ms`: RateLimited, with the seconds
// left as retry_after_s and no HTTP status (Spotify never saw it; is_gate_refusal tells it from
// a 429 Spotify sent, which the loop reports as a new window).
Error gate_refusal(int64_t now_ms, int64_t until_ms);
bool is_gate_refusal(const Error& error);

}  // namespace s2m
