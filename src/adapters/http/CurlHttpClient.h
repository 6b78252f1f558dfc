// HttpClient over one reused libcurl easy handle (keeps connections alive between requests).
// Not thread-safe: one instance per worker thread. curl_global_init must have run before any
// thread starts (main does it).
#pragma once

#include <optional>
#include <string>

#include "ports/HttpClient.h"

typedef void CURL;

namespace s2m {

struct CurlOptions {
    long connect_timeout_ms = 5000;
    size_t max_body_bytes = 4 * 1024 * 1024;  // Spotify answers are small; anything huge is wrong
    std::optional<std::string> ca_file;       // verify against this CA instead of the system's
};

class CurlHttpClient : public HttpClient {
  public:
    explicit CurlHttpClient(CurlOptions options = {});
    ~CurlHttpClient() override;
    CurlHttpClient(const CurlHttpClient&) = delete;
    CurlHttpClient& operator=(const CurlHttpClient&) = delete;

    Result<HttpResponse> send(const HttpRequest& request) override;

  private:
    CurlOptions options_;
    CURL* handle_;
};

}  // namespace s2m
