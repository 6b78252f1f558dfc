#include "adapters/system/ProcessStats.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace s2m {

namespace {

std::optional<ProcessStats> read_or_throw() {
    ProcessStats stats;
    long page = sysconf(_SC_PAGESIZE);
    long ticks = sysconf(_SC_CLK_TCK);
    std::ifstream statm("/proc/self/statm");
    long total_pages = 0, resident_pages = 0;
    if (!(statm >> total_pages >> resident_pages) || page <= 0 || ticks <= 0) return std::nullopt;
    stats.resident_bytes = static_cast<double>(resident_pages) * static_cast<double>(page);

    // /proc/self/stat: the command name may hold spaces, so fields are counted after its ')'.
    std::ifstream stat_file("/proc/self/stat");
    std::string line;
    if (!std::getline(stat_file, line)) return std::nullopt;
    auto close = line.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream fields(line.substr(close + 2));
    std::string field;
    // Field 3 (state) is the first after ')'; utime is 14, stime 15, num_threads 20.
    for (int number = 3; fields >> field; ++number) {
        if (number == 14 || number == 15)
            stats.cpu_seconds += std::stod(field) / static_cast<double>(ticks);
        if (number == 20) {
            stats.threads = std::stod(field);
            break;
        }
    }
    std::error_code error;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
        stats.open_fds += 1;
    }
    return stats;
}

}  // namespace

std::optional<ProcessStats> read_process_stats() {
    try {
        return read_or_throw();
    } catch (const std::exception&) {  // an odd /proc line must not break /metrics
        return std::nullopt;
    }
}

void collect_process_stats(Metrics& metrics) {
    metrics.on_render([](Metrics& m) {
        auto stats = read_process_stats();
        if (!stats) return;
        m.set("process_resident_memory_bytes", {}, stats->resident_bytes);
        m.set("process_cpu_seconds_total", {}, stats->cpu_seconds);
        m.set("process_open_fds", {}, stats->open_fds);
        m.set("process_threads", {}, stats->threads);
    });
}

}  // namespace s2m
