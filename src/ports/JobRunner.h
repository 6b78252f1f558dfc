// Port: blocking HTTP work off the loop, in lanes (one account's polls, its commands, its
// covers, links). A lane runs one job at a time, in the order submitted. Implemented by
// app/WorkerPool (threads); unit tests run the jobs on the test's thread with a scripted client.
//
// Jobs must not touch bridge state: they compute a result and post it to the loop (Scheduler).
#pragma once

#include <functional>
#include <string>

#include "ports/HttpClient.h"

namespace s2m {

class JobRunner {
  public:
    using Job = std::function<void(HttpClient&)>;

    virtual ~JobRunner() = default;
    // Thread-safe.
    virtual void submit(const std::string& lane, Job job) = 0;
};

}  // namespace s2m
