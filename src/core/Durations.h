// Durations as a person reads them in logs, events and command replies.
#pragma once

#include <cstdint>
#include <string>

namespace s2m {

// "45 s", "12 min", "2 h 5 min"; rounded up, never below "1 s".
std::string describe_duration(int64_t ms);

}  // namespace s2m
