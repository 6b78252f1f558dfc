// Catch2's main for integration_tests (kept separate so test files compile faster).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
