// RateGate with a fake clock: pacing of routine reads, the reserve kept for commands, debt from
// commands, and 429 windows that never shorten.
#include <catch2/catch.hpp>

#include "core/RateGate.h"

using namespace s2m;

TEST_CASE("routine reads go at once while tokens last, then at the sustained rate", "[rate_gate]") {
    RateGate gate(RateBudget{.per_minute = 60, .burst = 10, .command_reserve = 2}, 0);
    int64_t now = 0;
    int went_at_once = 0;
    while (gate.wait_ms(now, 1, Priority::Routine) == 0) {
        gate.spend(now, 1);
        ++went_at_once;
    }
    CHECK(went_at_once == 8);  // 10 tokens, 2 kept for commands
    // One token a second: the next read waits 1 s.
    CHECK(gate.wait_ms(now, 1, Priority::Routine) == 1000);
    // Over a minute of steady reads, 60 go out.
    int sent = 0;
    for (now = 1; now <= 60000; now += 1) {
        if (gate.wait_ms(now, 1, Priority::Routine) == 0) {
            gate.spend(now, 1);
            ++sent;
        }
    }
    CHECK(sent == 60);
}

TEST_CASE("commands never wait for tokens, and their debt delays polls", "[rate_gate]") {
    RateGate gate(RateBudget{.per_minute = 60, .burst = 10, .command_reserve = 2}, 0);
    for (int i = 0; i < 15; ++i) {
        CHECK(gate.wait_ms(0, 1, Priority::Command) == 0);
        gate.spend(0, 1);
    }
    CHECK(gate.tokens(0) == Approx(-5));
    // A poll needs 1 + the reserve of 2: 8 tokens to earn back at one a second.
    CHECK(gate.wait_ms(0, 1, Priority::Routine) == 8000);
    // Debt is bounded at one bucket.
    for (int i = 0; i < 100; ++i) gate.spend(0, 1);
    CHECK(gate.tokens(0) == Approx(-10));
}

TEST_CASE("a poll costing several calls waits for all of them", "[rate_gate]") {
    RateGate gate(RateBudget{.per_minute = 60, .burst = 10, .command_reserve = 2}, 0);
    gate.spend(0, 8);                                      // 2 left
    CHECK(gate.wait_ms(0, 3, Priority::Routine) == 3000);  // needs 5
    CHECK(gate.wait_ms(3000, 3, Priority::Routine) == 0);
    // A read bigger than the bucket goes when the bucket is full instead of never.
    CHECK(gate.wait_ms(60000, 50, Priority::Routine) == 0);
}

TEST_CASE("a 429 closes the gate for everyone, and windows never shorten", "[rate_gate]") {
    RateGate gate(RateBudget{}, 0);
    CHECK_FALSE(gate.closed(0));
    CHECK(gate.close_for(1000, 30000) == 31000);
    CHECK(gate.closed(30999));
    CHECK_FALSE(gate.closed(31000));
    CHECK(gate.wait_ms(1000, 1, Priority::Command) == 30000);
    CHECK(gate.wait_ms(1000, 1, Priority::Routine) == 30000);
    // A shorter Retry-After from a later answer keeps the longer window; a longer one extends it.
    CHECK(gate.close_for(2000, 5000) == 31000);
    CHECK(gate.close_for(2000, 3600000) == 3602000);
    CHECK(gate.closed_until_ms() == 3602000);
}

TEST_CASE("the budget for a pace keeps every 30 s window under 3/4 of a minute's pace",
          "[rate_gate]") {
    RateBudget standard = RateBudget::for_pace(120);
    CHECK(standard.burst == Approx(30));
    CHECK(standard.command_reserve == Approx(5));
    CHECK(standard.burst + standard.per_minute / 2 <= 0.75 * 120);
    RateBudget slow = RateBudget::for_pace(4);
    CHECK(slow.burst == Approx(2));
    CHECK(slow.command_reserve == Approx(1));
    CHECK(RateBudget::for_pace(0).per_minute == Approx(1));
}

TEST_CASE("tokens refill up to the burst while quiet", "[rate_gate]") {
    RateGate gate(RateBudget{.per_minute = 120, .burst = 30, .command_reserve = 5}, 0);
    gate.spend(0, 30);
    CHECK(gate.tokens(0) == Approx(0));
    CHECK(gate.tokens(5000) == Approx(10));
    CHECK(gate.tokens(3600000) == Approx(30));
    // Time going backwards (a clock step) never adds tokens.
    CHECK(gate.tokens(-1000) == Approx(0));
}
