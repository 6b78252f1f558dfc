#include "core/RateWindow.h"

#include <algorithm>

#include "core/Durations.h"

namespace s2m {

bool is_quota_exceeded(const Error& error) {
    return error.reason == "QUOTA_EXCEEDED";
}

int64_t rate_limit_window_ms(const Error& error) {
    int64_t window_ms = error.retry_after_s ? *error.retry_after_s * 1000LL : kDefaultRetryAfterMs;
    // The app's quota, not the 30 s window: no point asking again soon.
    if (is_quota_exceeded(error)) window_ms = std::max(window_ms, kQuotaWindowMs);
    return std::max<int64_t>(0, window_ms);
}

int64_t RateWindow::close_until(int64_t until_ms) {
    int64_t current = closed_until_ms_.load(std::memory_order_acquire);
    while (current < until_ms &&
           !closed_until_ms_.compare_exchange_weak(current, until_ms, std::memory_order_acq_rel)) {
    }
    return std::max(current, until_ms);
}

Error gate_refusal(int64_t now_ms, int64_t until_ms) {
    int64_t left_ms = std::max<int64_t>(0, until_ms - now_ms);
    Error error{ErrorKind::RateLimited,
                "Spotify's rate limit for this app is in force for another " +
                    describe_duration(left_ms) + "; the request was not sent"};
    error.retry_after_s = static_cast<int>(std::max<int64_t>(1, (left_ms + 999) / 1000));
    return error;
}

bool is_gate_refusal(const Error& error) {
    return error.kind == ErrorKind::RateLimited && error.http_status == 0;
}

}  // namespace s2m
