#include "model/Targets.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace s2m::bench {

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    size_t index = static_cast<size_t>(p / 100.0 * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

std::string format(const char* pattern, ...) {
    char buffer[256];
    va_list args;
    va_start(args, pattern);
    std::vsnprintf(buffer, sizeof buffer, pattern, args);
    va_end(args);
    return buffer;
}

void print_target(const std::string& what, const std::string& ours, const std::string& target,
                  const std::string& home_assistant, bool met) {
    std::printf("TARGET | %s | %s | %s | %s | %s\n", what.c_str(), ours.c_str(), target.c_str(),
                home_assistant.c_str(), met ? "met" : "NOT met");
    std::fflush(stdout);
}

}  // namespace s2m::bench
