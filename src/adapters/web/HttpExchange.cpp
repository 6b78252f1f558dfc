#include "adapters/web/HttpExchange.h"

#include <algorithm>

#include "core/Encoding.h"

namespace s2m {

namespace {
std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string_view> segments = split(path, '/');
    return {segments.begin(), segments.end()};
}

bool is_account_name(std::string_view text) {
    if (text.empty() || text.size() > 32) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

void add_pairs(std::string_view text, std::vector<std::pair<std::string, std::string>>& params) {
    auto pairs = parse_query(text);
    if (!pairs) return;
    for (auto& pair : *pairs) params.push_back(std::move(pair));
}
}  // namespace

std::string decode_path(std::string_view raw) {
    // In a path `+` is itself, not a space as in a form.
    std::string escaped;
    for (char c : raw) escaped += c == '+' ? std::string("%2B") : std::string(1, c);
    return url_decode(escaped).value_or(std::string(raw));
}

bool is_ingress_path(std::string_view path) {
    if (path.size() < 2 || path.size() > 256 || path.front() != '/') return false;
    for (std::string_view segment : split(path.substr(1), '/')) {
        if (segment.empty() || segment == "." || segment == "..") return false;
        for (char c : segment) {
            bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
            if (!safe) return false;
        }
    }
    return true;
}

std::string PageRequest::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (equal_ignoring_ascii_case(key, name)) return value;
    }
    return {};
}

std::string PageRequest::param(std::string_view name) const {
    for (const auto& [key, value] : params) {
        if (key == name) return value;
    }
    return {};
}

void parse_target_and_form(PageRequest& request) {
    std::string_view target = request.target;
    size_t question = target.find('?');
    request.path = decode_path(target.substr(0, question));
    request.params.clear();
    if (question != std::string_view::npos) add_pairs(target.substr(question + 1), request.params);
    std::string type = request.header("Content-Type");
    if (type.substr(0, type.find(';')) == "application/x-www-form-urlencoded") {
        add_pairs(request.body, request.params);
    }
}

void PageResponse::set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
}

void PageResponse::set_content(std::string content, std::string type) {
    body = std::move(content);
    content_type = std::move(type);
}

void RouteTable::add(std::string method, std::string path, PageHandler handler) {
    routes_.push_back(Route{std::move(method), split_path(path), std::move(handler)});
}

const PageHandler* RouteTable::find(PageRequest& request) const {
    std::string method = request.method == "HEAD" ? "GET" : request.method;
    std::vector<std::string> segments = split_path(request.path);
    for (const Route& route : routes_) {
        if (route.method != method || route.segments.size() != segments.size()) continue;
        std::vector<std::string> captures;
        bool matches = true;
        for (size_t i = 0; i < segments.size() && matches; ++i) {
            if (route.segments[i] == "{name}") {
                matches = is_account_name(segments[i]);
                captures.push_back(segments[i]);
            } else {
                matches = route.segments[i] == segments[i];
            }
        }
        if (matches) {
            request.captures = std::move(captures);
            return &route.handler;
        }
    }
    return nullptr;
}

}  // namespace s2m
