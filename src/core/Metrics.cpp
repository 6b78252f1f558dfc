#include "core/Metrics.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

namespace s2m {

namespace {

const std::vector<MetricFamily> kFamilies = {
    {"spotify2mqtt_api_requests_total", "counter",
     "Requests to Spotify by endpoint, method and HTTP status (\"error\": no answer)"},
    {"spotify2mqtt_api_request_duration_seconds", "summary",
     "Time from sending a request to Spotify to its full answer, by endpoint"},
    {"spotify2mqtt_polls_total", "counter", "Player reads of an account started"},
    {"spotify2mqtt_poll_lag_seconds", "summary",
     "How late scheduled reads started after their planned time (queueing, the gate)"},
    {"spotify2mqtt_rate_limit_waits_total", "counter",
     "Reads that waited at the rate gate (pace or a 429 window)"},
    {"spotify2mqtt_rate_limit_windows_total", "counter",
     "429 answers from Spotify, by Spotify app (client_id) and reason (rate_limited or "
     "quota_exceeded)"},
    {"spotify2mqtt_rate_limited_until_timestamp_seconds", "gauge",
     "When the current or last 429 window of a Spotify app (client_id) ends (Unix time)"},
    {"spotify2mqtt_commands_total", "counter", "Commands answered, by result (ok or the reason)"},
    {"spotify2mqtt_mqtt_publishes_total", "counter", "Messages published to the broker"},
    {"spotify2mqtt_mqtt_connects_total", "counter", "Successful (re)connections to the broker"},
    {"spotify2mqtt_mqtt_connection_losses_total", "counter", "Connections to the broker lost"},
    {"spotify2mqtt_mqtt_connected", "gauge", "1 while connected to the broker"},
    {"spotify2mqtt_accounts", "gauge", "Accounts by status (online, reauth_required, …)"},
    {"spotify2mqtt_token_store_failures_total", "counter",
     "Account records (tokens) the token store could not write; each failure is retried"},
    {"process_resident_memory_bytes", "gauge", "Resident set size"},
    {"process_cpu_seconds_total", "counter", "User and system CPU time"},
    {"process_open_fds", "gauge", "Open file descriptors"},
    {"process_threads", "gauge", "Threads of the process"},
};

const MetricFamily* family_of(const std::string& name) {
    for (const auto& family : kFamilies) {
        if (name == family.name) return &family;
    }
    return nullptr;
}

// Label values escape backslash, double quote and newline (exposition format 0.0.4).
std::string escaped(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string label_text(const MetricLabels& labels) {
    if (labels.empty()) return "";
    std::string out = "{";
    for (size_t i = 0; i < labels.size(); ++i) {
        if (i) out += ',';
        out += labels[i].first + "=\"" + escaped(labels[i].second) + "\"";
    }
    return out + "}";
}

std::string number(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    std::ostringstream out;
    out.precision(15);
    out << value;
    return out.str();
}

MetricLabels sorted(MetricLabels labels) {
    std::sort(labels.begin(), labels.end());
    return labels;
}

bool looks_like_id(const std::string& segment) {
    if (segment.size() < 12) return false;
    // Lower-case words joined by '-' are the API's own path words (recently-played), not ids.
    if (std::all_of(segment.begin(), segment.end(),
                    [](unsigned char c) { return (c >= 'a' && c <= 'z') || c == '-'; }))
        return false;
    return std::all_of(segment.begin(), segment.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
}

}  // namespace

const std::vector<MetricFamily>& metric_families() {
    return kFamilies;
}

void Metrics::add(const std::string& name, const MetricLabels& labels, double value) {
    if (!family_of(name)) return;
    std::lock_guard lock(mutex_);
    families_[name][sorted(labels)].value += value;
}

void Metrics::set(const std::string& name, const MetricLabels& labels, double value) {
    if (!family_of(name)) return;
    std::lock_guard lock(mutex_);
    families_[name][sorted(labels)].value = value;
}

void Metrics::observe(const std::string& name, const MetricLabels& labels, double value) {
    if (!family_of(name)) return;
    std::lock_guard lock(mutex_);
    Sample& sample = families_[name][sorted(labels)];
    sample.value += value;
    sample.count += 1;
}

void Metrics::on_render(std::function<void(Metrics&)> collect) {
    std::lock_guard lock(mutex_);
    collectors_.push_back(std::move(collect));
}

double Metrics::value(const std::string& name, const MetricLabels& labels) const {
    std::lock_guard lock(mutex_);
    auto family = families_.find(name);
    if (family == families_.end()) return 0;
    auto sample = family->second.find(sorted(labels));
    return sample == family->second.end() ? 0 : sample->second.value;
}

std::string Metrics::render() {
    std::vector<std::function<void(Metrics&)>> collectors;
    {
        std::lock_guard lock(mutex_);
        collectors = collectors_;
    }
    for (auto& collect : collectors) collect(*this);

    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& family : kFamilies) {
        auto found = families_.find(family.name);
        if (found == families_.end()) continue;
        out += std::string("# HELP ") + family.name + " " + family.help + "\n";
        out += std::string("# TYPE ") + family.name + " " + family.type + "\n";
        bool summary = std::string(family.type) == "summary";
        for (const auto& [labels, sample] : found->second) {
            std::string labelled = label_text(labels);
            if (summary) {
                out += std::string(family.name) + "_sum" + labelled + " " + number(sample.value) +
                       "\n";
                out += std::string(family.name) + "_count" + labelled + " " + number(sample.count) +
                       "\n";
            } else {
                out += std::string(family.name) + labelled + " " + number(sample.value) + "\n";
            }
        }
    }
    return out;
}

std::string api_endpoint(const std::string& url) {
    std::string path = url;
    if (auto scheme = path.find("://"); scheme != std::string::npos) {
        auto slash = path.find('/', scheme + 3);
        path = slash == std::string::npos ? "/" : path.substr(slash);
    }
    path = path.substr(0, path.find_first_of("?#"));
    if (path.ends_with("/api/token")) return "/api/token";
    auto v1 = path.find("/v1/");
    if (v1 == std::string::npos) return "other";
    std::string out;
    std::stringstream segments(path.substr(v1 + 3));
    std::string segment;
    while (std::getline(segments, segment, '/')) {
        if (segment.empty()) continue;
        out += "/" + (looks_like_id(segment) ? std::string("{id}") : segment);
    }
    return out.empty() ? "/" : out;
}

}  // namespace s2m
