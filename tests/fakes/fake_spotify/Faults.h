// Test-controlled misbehaviour (faults) and the request log tests assert on. Both have their
// own lock so that a delayed (hanging) request never holds the world's lock while it sleeps.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fake_spotify {

using nlohmann::json;

struct Fault {
    int64_t id = 0;
    std::string method;  // empty: any
    std::string path_prefix = "/";
    // Only this exact path, when set: "/v1/me/player" without "/v1/me/player/queue" and the
    // other reads under it, which the bridge may be making at the same moment.
    std::optional<std::string> path;
    std::optional<std::string> user;
    int status = 0;  // 0: delay only, then the request is handled normally
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string content_type;
    int64_t delay_ms = 0;
    int64_t remaining = 1;  // -1: until removed
    int64_t held = 0;       // requests its delay is holding right now (tests wait for hangs)

    json to_json() const;
};

class FaultStore {
  public:
    // {method?, path_prefix? | path?, status?, headers?, body? | raw_body? | raw_body_size?,
    //  content_type?, delay_ms?, count? (default 1, -1 = until removed), user?}
    int64_t add(const json& spec);
    void clear();
    bool remove(int64_t id);
    json list() const;
    // The first matching rule, counted as used; rules are tried in the order they were added.
    std::optional<Fault> take(const std::string& method, const std::string& path,
                              const std::optional<std::string>& user);
    // Around a delay: counts the requests a rule holds (listed as "held").
    void holding(int64_t id, int64_t change);

  private:
    mutable std::mutex mutex_;
    std::vector<Fault> faults_;
    int64_t next_id_ = 1;
};

struct LogEntry {
    int64_t t_ms = 0;     // since the fake started
    int64_t mono_us = 0;  // CLOCK_MONOTONIC (std::chrono::steady_clock) when the request arrived
    std::string method;
    std::string path;
    std::string query;
    std::string body;
    std::string content_type;
    std::optional<std::string> user;
    std::optional<std::string> client_id;
    int status = 0;
    // The names of the headers that arrived (never their values: they carry tokens), so a test
    // can see a header the client did not mean to send.
    std::vector<std::string> header_names;
};

// Requests to everything but /_control, oldest first. Token values never get in: form and
// query values of token-like keys are replaced by "REDACTED" and headers are not kept.
class RequestLog {
  public:
    void add(LogEntry entry);
    json since(int64_t seq) const;
    void clear();

  private:
    static constexpr size_t kMaxEntries = 20000;
    static constexpr size_t kMaxBody = 4096;
    mutable std::mutex mutex_;
    std::deque<json> entries_;
    int64_t next_seq_ = 1;
};

// key=value&… with the values of secret keys replaced.
std::string redact_urlencoded(const std::string& text);

}  // namespace fake_spotify
