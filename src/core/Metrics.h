// What GET /metrics shows (Prometheus text format 0.0.4). The families are a table (Metrics.cpp);
// values are recorded from any thread (a mutex: a handful of updates per poll) and rendered on
// the web server's thread.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace s2m {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
  public:
    // Counters only go up; gauges are set; summaries add a value to <name>_sum and <name>_count.
    // A name that is not in the table is ignored (and caught by the unit test of the table).
    void add(const std::string& name, const MetricLabels& labels = {}, double value = 1);
    void set(const std::string& name, const MetricLabels& labels, double value);
    void observe(const std::string& name, const MetricLabels& labels, double value);

    // Called at the start of every render, for values read on demand (e.g. /proc/self).
    void on_render(std::function<void(Metrics&)> collect);

    std::string render();
    double value(const std::string& name, const MetricLabels& labels = {}) const;  // for tests

  private:
    struct Sample {
        double value = 0;
        double count = 0;  // summaries only
    };
    using Series = std::map<MetricLabels, Sample>;

    mutable std::mutex mutex_;
    std::map<std::string, Series> families_;
    std::vector<std::function<void(Metrics&)>> collectors_;
};

// "GET /v1/me/player" → "/me/player"; ids in paths become {id}, the query is dropped. Anything
// that is not the Web API or the token endpoint is "other" (e.g. a cover download).
std::string api_endpoint(const std::string& url);

// Names and help of every family, in render order (for the table test).
struct MetricFamily {
    const char* name;
    const char* type;  // counter | gauge | summary
    const char* help;
};
const std::vector<MetricFamily>& metric_families();

}  // namespace s2m
