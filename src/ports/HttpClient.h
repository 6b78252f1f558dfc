// Port: one blocking HTTP exchange. Implemented by adapters/http/CurlHttpClient; one instance per
// worker thread (an instance is not thread-safe).
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/Result.h"

namespace s2m {

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    long timeout_ms = 10000;
};

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;

    // Retry-After in seconds when present and numeric (Spotify sends seconds, not dates).
    std::optional<int> retry_after_s() const {
        auto it = headers.find("retry-after");
        if (it == headers.end()) return std::nullopt;
        try {
            size_t used = 0;
            long value = std::stol(it->second, &used);
            if (used == 0 || value < 0) return std::nullopt;
            return static_cast<int>(std::min<long>(value, 7 * 24 * 3600));
        } catch (...) {
            return std::nullopt;
        }
    }
};

class HttpClient {
  public:
    virtual ~HttpClient() = default;
    // A network failure (no connection, timeout, oversized body) is an Error of kind Network or
    // BadResponse; any HTTP status is a response.
    virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace s2m
