// Figures of another process from /proc/<pid>, for the benches that watch the bridge from
// outside (footprint_bench, soak_bench).
#pragma once

#include <sys/types.h>

#include <string>

namespace s2m::bench {

// A field of /proc/<pid>/status ("VmRSS:   12345 kB" → 12345; "Threads: 17" → 17), or -1.
long proc_status_value(pid_t pid, const std::string& key);
// Proportional set size in kB (/proc/<pid>/smaps_rollup): private pages plus each shared page
// divided by the number of processes that map it, i.e. the memory this process costs.
long proc_pss_kb(pid_t pid);
// utime + stime in seconds (fields 14 and 15 of /proc/<pid>/stat), or -1.
double proc_cpu_seconds(pid_t pid);
// Entries of /proc/<pid>/fd.
long proc_open_fds(pid_t pid);

}  // namespace s2m::bench
