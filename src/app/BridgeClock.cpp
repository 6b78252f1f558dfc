#include "app/BridgeClock.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace s2m {

namespace {
using std::chrono::steady_clock;
using std::chrono::system_clock;

double scale_ = 1.0;
// Where scaled time starts: the real Unix time and steady time when the scale was set.
int64_t unix_origin_ms_ = 0;
steady_clock::time_point steady_origin_;

int64_t real_unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}
}  // namespace

TimeScaleSetting parse_time_scale(const char* value) {
    TimeScaleSetting setting;
    if (value == nullptr) return setting;
    errno = 0;
    char* end = nullptr;
    double scale = std::strtod(value, &end);
    if (end == value || *end != '\0' || errno != 0 || !std::isfinite(scale) || scale < 1.0 ||
        scale > kMaxTimeScale) {
        setting.error = std::string(kTimeScaleVariable) + " must be a number from 1 to " +
                        std::to_string(static_cast<int>(kMaxTimeScale)) + " (got '" + value +
                        "'); it is for benchmarks only: leave it unset";
        return setting;
    }
    setting.scale = scale;
    return setting;
}

void set_time_scale(double scale) {
    scale_ = scale;
    unix_origin_ms_ = real_unix_ms();
    steady_origin_ = steady_clock::now();
}

double time_scale() {
    return scale_;
}

int64_t unix_now_ms() {
    if (scale_ == 1.0) return real_unix_ms();
    std::chrono::duration<double, std::milli> real = steady_clock::now() - steady_origin_;
    return unix_origin_ms_ + static_cast<int64_t>(real.count() * scale_);
}

int64_t local_utc_offset_ms(int64_t at_ms) {
    std::time_t seconds = static_cast<std::time_t>(at_ms / 1000);
    std::tm local{};
    if (localtime_r(&seconds, &local) == nullptr) return 0;
    return static_cast<int64_t>(local.tm_gmtoff) * 1000;
}

std::string local_zone_description(int64_t at_ms) {
    std::time_t seconds = static_cast<std::time_t>(at_ms / 1000);
    std::tm local{};
    if (localtime_r(&seconds, &local) == nullptr) return "UTC";
    long minutes = local.tm_gmtoff / 60;
    char text[64];
    std::snprintf(text, sizeof text, "UTC%c%02ld:%02ld (%s)", minutes < 0 ? '-' : '+',
                  std::labs(minutes) / 60, std::labs(minutes) % 60,
                  local.tm_zone ? local.tm_zone : "?");
    return text;
}

steady_clock::duration real_duration(std::chrono::milliseconds bridge_time) {
    if (scale_ == 1.0) return bridge_time;
    std::chrono::duration<double, std::milli> real(static_cast<double>(bridge_time.count()) /
                                                   scale_);
    return std::chrono::duration_cast<steady_clock::duration>(real);
}

}  // namespace s2m
