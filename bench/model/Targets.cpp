#include "model/Targets.h"

#include <cstdarg>
#include <cstdio>

namespace s2m::bench {

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
