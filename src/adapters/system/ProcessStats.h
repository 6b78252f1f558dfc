// This process's footprint from /proc/self, for /metrics (and the soak bench, which reads the
// same numbers from outside): resident memory, CPU time, open file descriptors, threads.
#pragma once

#include <optional>

#include "core/Metrics.h"

namespace s2m {

struct ProcessStats {
    double resident_bytes = 0;
    double cpu_seconds = 0;
    double open_fds = 0;
    double threads = 0;
};

std::optional<ProcessStats> read_process_stats();

// Registers a collector that sets the process_* families at each render.
void collect_process_stats(Metrics& metrics);

}  // namespace s2m
