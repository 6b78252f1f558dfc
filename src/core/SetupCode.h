// The setup code that guards what changes the bridge (link, unlink, the Spotify app) when the
// account page is reached from another machine (README "Linking"). Compared in constant time;
// each wrong code doubles the wait before the next try (1 s … 60 s), for everyone, so guessing
// over the LAN is hopeless while a person who mistyped waits a second.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace s2m {

// Equal without an early exit: the time taken does not tell how much of `given` was right.
bool constant_time_equal(std::string_view expected, std::string_view given);

// A code a person can read from the log and type: 12 characters without look-alikes (0/O, 1/l),
// from at least 12 random bytes.
std::string make_setup_code(std::string_view random_bytes);

class SetupGate {
  public:
    enum class Verdict { Allowed, Missing, Wrong, Wait };
    struct Answer {
        Verdict verdict = Verdict::Wrong;
        int64_t retry_in_ms = 0;  // with Wait (and after Wrong): when the next try is heard
    };
    static constexpr int64_t kFirstWaitMs = 1000;
    static constexpr int64_t kLongestWaitMs = 60000;

    explicit SetupGate(std::string code) : code_(std::move(code)) {}

    // Thread-safe: the page answers on several threads.
    Answer check(std::string_view given, int64_t now_ms);
    const std::string& code() const { return code_; }  // for the start-up log line only

  private:
    const std::string code_;
    std::mutex mutex_;
    int failures_ = 0;         // wrong codes in a row
    int64_t next_try_ms_ = 0;  // tries before this are not compared
};

}  // namespace s2m
