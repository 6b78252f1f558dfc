#include "adapters/http/MeteredHttpClient.h"

#include <chrono>

namespace s2m {

Result<HttpResponse> MeteredHttpClient::send(const HttpRequest& request) {
    auto started = std::chrono::steady_clock::now();
    Result<HttpResponse> result = inner_->send(request);
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    std::string endpoint = api_endpoint(request.url);
    std::string status = result ? std::to_string(result.value().status) : "error";
    metrics_.add("spotify2mqtt_api_requests_total",
                 {{"endpoint", endpoint}, {"method", request.method}, {"status", status}});
    metrics_.observe("spotify2mqtt_api_request_duration_seconds", {{"endpoint", endpoint}},
                     took.count());
    return result;
}

}  // namespace s2m
