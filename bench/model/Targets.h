// The targets of the benchmark issue, one line each, so bench/run.sh can gather every bench's
// verdicts into one table next to Home Assistant's figures.
#pragma once

#include <string>
#include <vector>

namespace s2m::bench {

// printf into a std::string.
std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));

// The p-th percentile (0-100) of `values` by nearest rank; 0 for none.
double percentile(std::vector<double> values, double p);

// Prints "TARGET | what | spotify2mqtt | target | Home Assistant | met" (or "NOT met").
void print_target(const std::string& what, const std::string& ours, const std::string& target,
                  const std::string& home_assistant, bool met);

}  // namespace s2m::bench
