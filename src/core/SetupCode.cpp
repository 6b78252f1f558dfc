#include "core/SetupCode.h"

#include <algorithm>

namespace s2m {

bool constant_time_equal(std::string_view expected, std::string_view given) {
    // Walks all of `given` whatever it holds; only the expected length can be learned.
    unsigned char difference = expected.size() == given.size() ? 0 : 1;
    for (size_t i = 0; i < given.size(); ++i) {
        char want = expected.empty() ? '\0' : expected[i % expected.size()];
        difference |= static_cast<unsigned char>(want ^ given[i]);
    }
    return difference == 0 && !expected.empty();
}

std::string make_setup_code(std::string_view random_bytes) {
    static constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";  // 32
    std::string code;
    for (size_t i = 0; i < 12 && i < random_bytes.size(); ++i) {
        code += kAlphabet[static_cast<unsigned char>(random_bytes[i]) % kAlphabet.size()];
    }
    return code;
}

SetupGate::Answer SetupGate::check(std::string_view given, int64_t now_ms) {
    std::lock_guard lock(mutex_);
    if (given.empty()) return {Verdict::Missing, 0};
    if (now_ms < next_try_ms_) return {Verdict::Wait, next_try_ms_ - now_ms};
    if (constant_time_equal(code_, given)) {
        failures_ = 0;
        return {Verdict::Allowed, 0};
    }
    ++failures_;
    int64_t wait = kFirstWaitMs << std::min(failures_ - 1, 6);
    wait = std::min(wait, kLongestWaitMs);
    next_try_ms_ = now_ms + wait;
    return {Verdict::Wrong, wait};
}

}  // namespace s2m
