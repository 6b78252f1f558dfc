// The fuzz targets' invariant check: a broken invariant aborts, which libFuzzer reports as a crash
// and keeps the input for replay.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace s2m::fuzz {

inline void require(bool condition, const char* target, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "%s: invariant broken: %s\n", target, what);
        std::abort();
    }
}

}  // namespace s2m::fuzz
