// The job runner for in-process bridge tests: jobs wait in submission order until the harness
// runs them on the test's thread with the scripted HttpClient. That keeps each lane's order (one
// job at a time, as app/WorkerPool does), and a test can hold them to play a slow Spotify.
#pragma once

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "ports/JobRunner.h"

namespace s2m::test {

class QueuedJobs : public JobRunner {
  public:
    explicit QueuedJobs(HttpClient& http) : http_(http) {}

    void submit(const std::string& lane, Job job) override {
        lanes_.push_back(lane);
        waiting_.emplace_back(lane, std::move(job));
    }
    // Runs the oldest waiting job; false when there is none, or the jobs are held.
    bool run_next() {
        if (held_ || waiting_.empty()) return false;
        Job job = std::move(waiting_.front().second);
        waiting_.pop_front();
        job(http_);
        return true;
    }
    void hold(bool held) { held_ = held; }
    size_t waiting() const { return waiting_.size(); }
    const std::vector<std::string>& lanes() const { return lanes_; }  // every submission's

  private:
    HttpClient& http_;
    std::deque<std::pair<std::string, Job>> waiting_;
    std::vector<std::string> lanes_;
    bool held_ = false;
};

}  // namespace s2m::test
