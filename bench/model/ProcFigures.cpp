#include "model/ProcFigures.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace s2m::bench {

namespace {
// "Key:   12345 kB" in /proc/<pid>/<file> → 12345, or -1.
long proc_field(pid_t pid, const char* file, const std::string& key) {
    std::ifstream lines("/proc/" + std::to_string(pid) + "/" + file);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1));
    }
    return -1;
}
}  // namespace

long proc_status_value(pid_t pid, const std::string& key) {
    return proc_field(pid, "status", key);
}

long proc_pss_kb(pid_t pid) {
    return proc_field(pid, "smaps_rollup", "Pss");
}

double proc_cpu_seconds(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return -1;
    // The command name may hold spaces: count fields after its closing ')'.
    auto close = line.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(line.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int number = 3; number <= 15 && fields >> field; ++number) {
        if (number >= 14) ticks += std::stod(field);
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long proc_open_fds(pid_t pid) {
    long count = 0;
    std::error_code error;
    for (auto it =
             std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
        ++count;
    }
    return count;
}

}  // namespace s2m::bench
