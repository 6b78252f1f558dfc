// The fuzz targets' invariant check: a broken invariant aborts, which libFuzzer reports as a crash
// and keeps the input for replay. The message starts with the target's program name.
#pragma once

#include <cerrno>  // program_invocation_short_name (GNU)
#include <cstdio>
#include <cstdlib>

namespace s2m::fuzz {

inline void require(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "%s: invariant broken: %s\n", program_invocation_short_name, what);
        std::abort();
    }
}

}  // namespace s2m::fuzz
