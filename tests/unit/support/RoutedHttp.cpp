#include "RoutedHttp.h"

#include <algorithm>

namespace s2m::test {

std::string target_of(const std::string& url) {
    size_t scheme = url.find("://");
    size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return path == std::string::npos ? "/" : url.substr(path);
}

std::string without_query(const std::string& target) {
    return target.substr(0, target.find('?'));
}

std::string header_of(const HttpRequest& request, const std::string& name) {
    for (const auto& [key, value] : request.headers)
        if (key == name) return value;
    return "";
}

HttpResponse json_response(int status, std::string body,
                           std::map<std::string, std::string> headers) {
    headers.emplace("content-type", "application/json");
    return HttpResponse{status, std::move(headers), std::move(body)};
}

void RoutedHttp::answer(const std::string& method, const std::string& path, HttpResponse response) {
    standing_[{method, path}] = std::move(response);
}

void RoutedHttp::answer_once(const std::string& method, const std::string& path,
                             HttpResponse response) {
    once_[{method, path}].push_back(std::move(response));
}

Result<HttpResponse> RoutedHttp::send(const HttpRequest& request) {
    seen_.push_back(request);
    sent_at_ms_.push_back(clock_.now_ms());
    std::string target = target_of(request.url);
    Route route{request.method, without_query(target)};
    if (auto queued = once_.find(route); queued != once_.end() && !queued->second.empty()) {
        HttpResponse response = std::move(queued->second.front());
        queued->second.pop_front();
        return response;
    }
    if (auto standing = standing_.find(route); standing != standing_.end()) return standing->second;
    unscripted_.push_back(request.method + " " + target);
    return json_response(404, R"({"error":{"status":404,"message":"not scripted in this test"}})");
}

std::vector<std::string> RoutedHttp::requests() const {
    std::vector<std::string> list;
    for (const HttpRequest& request : seen_)
        list.push_back(request.method + " " + target_of(request.url));
    return list;
}

size_t RoutedHttp::count(const std::string& method, const std::string& path) const {
    return static_cast<size_t>(std::count_if(seen_.begin(), seen_.end(), [&](const HttpRequest& r) {
        return r.method == method && without_query(target_of(r.url)) == path;
    }));
}

}  // namespace s2m::test
