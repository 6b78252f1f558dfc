// HttpClient decorator that counts every request to Spotify for /metrics: by endpoint (ids and
// query stripped, core/Metrics api_endpoint), method and status ("error" when no answer came),
// and how long it took. Owns the client it wraps; one per worker thread, like that client.
#pragma once

#include <memory>

#include "core/Metrics.h"
#include "ports/HttpClient.h"

namespace s2m {

class MeteredHttpClient : public HttpClient {
  public:
    MeteredHttpClient(std::unique_ptr<HttpClient> inner, Metrics& metrics)
        : inner_(std::move(inner)), metrics_(metrics) {}

    Result<HttpResponse> send(const HttpRequest& request) override;

  private:
    std::unique_ptr<HttpClient> inner_;
    Metrics& metrics_;
};

}  // namespace s2m
