#include "core/RateGate.h"

#include <algorithm>
#include <cmath>

namespace s2m {

RateBudget RateBudget::for_pace(int per_minute) {
    RateBudget budget;
    budget.per_minute = std::max(1, per_minute);
    budget.burst = std::max(2.0, budget.per_minute / 4.0);
    budget.command_reserve = std::max(1.0, budget.burst / 6.0);
    return budget;
}

RateGate::RateGate(RateBudget budget, int64_t now_ms)
    : budget_(budget), tokens_(budget.burst), refilled_at_ms_(now_ms) {}

double RateGate::tokens(int64_t now_ms) const {
    double elapsed_min =
        static_cast<double>(std::max<int64_t>(0, now_ms - refilled_at_ms_)) / 60000.0;
    return std::min(budget_.burst, tokens_ + elapsed_min * budget_.per_minute);
}

void RateGate::refill(int64_t now_ms) {
    tokens_ = tokens(now_ms);
    refilled_at_ms_ = std::max(refilled_at_ms_, now_ms);
}

int64_t RateGate::wait_ms(int64_t now_ms, double calls, Priority priority) const {
    int64_t wait = std::max<int64_t>(0, closed_until_ms_ - now_ms);
    if (priority == Priority::Command) return wait;
    // A read bigger than the whole allowance could never go: let it go when the bucket is full.
    double needed = std::min(budget_.burst, calls + budget_.command_reserve);
    double missing = needed - tokens(now_ms);
    if (missing > 0 && budget_.per_minute > 0) {
        auto refill_ms = static_cast<int64_t>(std::ceil(missing / budget_.per_minute * 60000.0));
        wait = std::max(wait, refill_ms);
    }
    return wait;
}

void RateGate::spend(int64_t now_ms, double calls) {
    refill(now_ms);
    // Debt is bounded, so a burst of commands delays polls by at most one bucket's refill.
    tokens_ = std::max(-budget_.burst, tokens_ - calls);
}

int64_t RateGate::close_for(int64_t now_ms, int64_t window_ms) {
    closed_until_ms_ = std::max(closed_until_ms_, now_ms + std::max<int64_t>(0, window_ms));
    return closed_until_ms_;
}

}  // namespace s2m
