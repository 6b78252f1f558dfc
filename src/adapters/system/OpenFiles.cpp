#include "adapters/system/OpenFiles.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <string>

namespace s2m {

namespace {
constexpr rlim_t kWanted = 4096;

std::string shown(rlim_t limit) {
    return limit == RLIM_INFINITY ? std::string("unlimited") : std::to_string(limit);
}
}  // namespace

void raise_open_file_limit() {
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return;
    // A container or service manager often starts processes with a soft limit of 1024 and a far
    // higher hard one; the soft one is ours to raise.
    rlim_t wanted = std::min(files.rlim_max, kWanted);
    if (files.rlim_cur < wanted) {
        rlimit raised = files;
        raised.rlim_cur = wanted;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) files = raised;
    }
    if (files.rlim_cur < 256) {
        spdlog::warn(
            "open files: {} (hard limit {}): low; Spotify calls may fail to connect when the "
            "page is busy. Raise it (systemd LimitNOFILE=, docker --ulimit nofile=)",
            shown(files.rlim_cur), shown(files.rlim_max));
    } else {
        spdlog::info("open files: {} (hard limit {})", shown(files.rlim_cur),
                     shown(files.rlim_max));
    }
}

}  // namespace s2m
