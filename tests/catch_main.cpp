// Catch2's main, compiled once for both test programs (its implementation is the slowest
// translation unit of the build) and never merged into a unity batch: CATCH_CONFIG_MAIN only
// works in a file where catch.hpp has not been included before.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
