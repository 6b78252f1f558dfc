// The targets of the benchmark issue, one line each, so bench/run.sh can gather every bench's
// verdicts into one table next to Home Assistant's figures.
#pragma once

#include <string>

namespace s2m::bench {

// printf into a std::string.
std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));

// Prints "TARGET | what | spotify2mqtt | target | Home Assistant | met" (or "NOT met").
void print_target(const std::string& what, const std::string& ours, const std::string& target,
                  const std::string& home_assistant, bool met);

}  // namespace s2m::bench
