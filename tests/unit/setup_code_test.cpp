// The setup code guarding changes from other machines (core/SetupCode).
#include <catch2/catch.hpp>

#include "core/SetupCode.h"

using namespace s2m;

TEST_CASE("setup codes compare whole, in constant time", "[setup_code]") {
    CHECK(constant_time_equal("abcdefgh", "abcdefgh"));
    CHECK_FALSE(constant_time_equal("abcdefgh", "abcdefgx"));
    CHECK_FALSE(constant_time_equal("abcdefgh", "abcdefg"));
    CHECK_FALSE(constant_time_equal("abcdefgh", "abcdefghi"));
    CHECK_FALSE(constant_time_equal("abcdefgh", ""));
    CHECK_FALSE(constant_time_equal("", ""));  // no code never opens anything
}

TEST_CASE("a generated setup code has 12 characters without look-alikes", "[setup_code]") {
    std::string bytes;
    for (int i = 0; i < 12; ++i) bytes.push_back(static_cast<char>(i * 21));
    std::string code = make_setup_code(bytes);
    CHECK(code.size() == 12);
    CHECK(code.find_first_of("01lo") == std::string::npos);
    CHECK(make_setup_code(bytes) == code);
    bytes[0] = static_cast<char>(bytes[0] + 1);
    CHECK(make_setup_code(bytes) != code);
}

TEST_CASE("each wrong setup code doubles the wait - the right one resets it", "[setup_code]") {
    SetupGate gate("right-code");
    int64_t now = 1'000'000;
    CHECK(gate.check("", now).verdict == SetupGate::Verdict::Missing);  // not counted
    auto first = gate.check("wrong", now);
    CHECK(first.verdict == SetupGate::Verdict::Wrong);
    CHECK(first.retry_in_ms == 1000);
    // Within the wait even the right code is not compared: guessing gets no faster.
    auto held = gate.check("right-code", now + 500);
    CHECK(held.verdict == SetupGate::Verdict::Wait);
    CHECK(held.retry_in_ms == 500);
    now += 1000;
    CHECK(gate.check("wrong", now).retry_in_ms == 2000);
    now += 2000;
    CHECK(gate.check("wrong", now).retry_in_ms == 4000);
    for (int i = 0; i < 10; ++i) {
        now += 60'000;
        gate.check("wrong", now);
    }
    now += 60'000;
    CHECK(gate.check("wrong", now).retry_in_ms == SetupGate::kLongestWaitMs);
    now += 60'000;
    CHECK(gate.check("right-code", now).verdict == SetupGate::Verdict::Allowed);
    CHECK(gate.check("wrong", now).retry_in_ms == 1000);  // back to the first wait
}
