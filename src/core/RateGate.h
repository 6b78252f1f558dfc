// The gate every Spotify Web API request of one app (client id) passes. Spotify limits requests
// per app over a rolling 30 s window and answers 429 with Retry-After when the app goes over
// (docs/robustness.md#rate-limits). The bridge stays under that on its own and obeys it when told:
//  - a token bucket paces routine reads (polls) at `per_minute`, with a burst allowance, and
//    always leaves `command_reserve` tokens for commands, so a command never waits behind polls;
//  - commands only spend tokens (they may run the bucket into debt, which polls then wait out);
//  - after a 429 nothing at all goes out until the window ends; a new 429 may lengthen the
//    window, never shorten it.
// Pure: times are passed in, so it is tested with a fake clock.
#pragma once

#include <cstdint>

namespace s2m {

struct RateBudget {
    double per_minute = 120;     // polling.max_requests_per_minute
    double burst = 30;           // tokens that can pile up while quiet
    double command_reserve = 5;  // polls leave this many for commands

    // The budget for a pace: a burst of 15 s worth, so no 30 s window (Spotify's) ever sees more
    // than 3/4 of a minute's pace, and a sixth of the burst kept for commands.
    static RateBudget for_pace(int per_minute);
};

enum class Priority { Command, Routine };

class RateGate {
  public:
    explicit RateGate(RateBudget budget = {}, int64_t now_ms = 0);

    // How long a request costing `calls` must wait before it may go out (0: now). Commands wait
    // only for a 429 window.
    int64_t wait_ms(int64_t now_ms, double calls, Priority priority) const;
    // The request went out: take its tokens.
    void spend(int64_t now_ms, double calls);

    // Spotify answered 429: nothing until now + window (never shortens a running window).
    // Returns when the window ends.
    int64_t close_for(int64_t now_ms, int64_t window_ms);
    bool closed(int64_t now_ms) const { return now_ms < closed_until_ms_; }
    int64_t closed_until_ms() const { return closed_until_ms_; }

    double tokens(int64_t now_ms) const;  // may be negative after commands

  private:
    void refill(int64_t now_ms);

    RateBudget budget_;
    double tokens_;
    int64_t refilled_at_ms_;
    int64_t closed_until_ms_ = 0;
};

}  // namespace s2m
