#include "core/Durations.h"

#include <algorithm>

namespace s2m {

std::string describe_duration(int64_t ms) {
    int64_t s = std::max<int64_t>(1, (ms + 999) / 1000);
    if (s < 120) return std::to_string(s) + " s";
    int64_t min = (s + 59) / 60;
    if (min < 120) return std::to_string(min) + " min";
    return std::to_string(min / 60) + " h " + std::to_string(min % 60) + " min";
}

}  // namespace s2m
