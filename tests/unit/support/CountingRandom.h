// Deterministic "randomness" for unit tests (core/Authorization.h's RandomBytes): a counter, so
// each draw differs from the one before and every run draws the same bytes.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/Authorization.h"

namespace s2m::test {

inline RandomBytes counting_random() {
    auto counter = std::make_shared<int>(0);
    return [counter](size_t n) {
        std::string bytes(n, '\0');
        for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<char>((*counter + i) & 0xff);
        ++*counter;
        return bytes;
    };
}

}  // namespace s2m::test
