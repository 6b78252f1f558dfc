// A scripted HttpClient (the narrow port) for in-process bridge tests: answers by method and
// path, and records every request. It knows nothing about Spotify; the test says what each
// endpoint answers. A request nobody scripted gets a 404 and is listed in unscripted(), so a
// test sees an unexpected call instead of a network error the bridge would retry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ports/Clock.h"
#include "ports/HttpClient.h"

namespace s2m::test {

class RoutedHttp : public HttpClient {
  public:
    // `clock` stamps each request with the time it went out.
    explicit RoutedHttp(const Clock& clock) : clock_(clock) {}

    // Every `method path` request from now on gets `response`. `path` has no host or query
    // ("/v1/me/player"); the query is not part of the route.
    void answer(const std::string& method, const std::string& path, HttpResponse response);
    // The next such request gets `response` (before any standing answer); several queue up.
    void answer_once(const std::string& method, const std::string& path, HttpResponse response);

    Result<HttpResponse> send(const HttpRequest& request) override;

    // Each request as "METHOD /path?query" (no host), oldest first.
    std::vector<std::string> requests() const;
    const std::vector<HttpRequest>& seen() const { return seen_; }
    const std::vector<int64_t>& sent_at_ms() const { return sent_at_ms_; }  // one per request
    // How many requests had this route.
    size_t count(const std::string& method, const std::string& path) const;
    const std::vector<std::string>& unscripted() const { return unscripted_; }
    void forget() {  // the log, not the answers
        seen_.clear();
        sent_at_ms_.clear();
    }

  private:
    using Route = std::pair<std::string, std::string>;  // method, path
    const Clock& clock_;
    std::map<Route, HttpResponse> standing_;
    std::map<Route, std::deque<HttpResponse>> once_;
    std::vector<HttpRequest> seen_;
    std::vector<int64_t> sent_at_ms_;
    std::vector<std::string> unscripted_;
};

// "https://host/v1/me?x=1" → "/v1/me?x=1"; without_query() → "/v1/me".
std::string target_of(const std::string& url);
std::string without_query(const std::string& target);

// The value of the request's header `name` ("" when it has none).
std::string header_of(const HttpRequest& request, const std::string& name);

HttpResponse json_response(int status, std::string body,
                           std::map<std::string, std::string> headers = {});

}  // namespace s2m::test
