#include "Http.h"

#include <cctype>
#include <charconv>
#include <mutex>
#include <random>

namespace fake_spotify {

std::optional<std::string> Call::param(const std::string& key) const {
    auto it = query.find(key);
    if (it == query.end()) return std::nullopt;
    return it->second;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
    routes_.push_back(Route{method, std::regex(pattern), std::move(handler)});
}

void Router::dispatch(Call& call) const {
    bool path_known = false;
    for (const auto& route : routes_) {
        std::smatch match;
        if (!std::regex_match(call.req.path, match, route.pattern)) continue;
        path_known = true;
        if (route.method != call.req.method) continue;
        call.groups.clear();
        for (size_t i = 1; i < match.size(); ++i)
            call.groups.push_back(url_decode(match.str(i), false));
        route.handler(call);
        return;
    }
    if (path_known) throw ApiError(405, "Method not allowed");
    throw ApiError(404, "Service not found");
}

void send_json(httplib::Response& res, int status, const json& body) {
    res.status = status;
    // Replace invalid UTF-8 rather than throwing: bodies may echo what a client sent.
    res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace),
                    "application/json; charset=utf-8");
}

void send_no_content(httplib::Response& res) {
    res.status = 204;
    res.body.clear();
}

json error_body(int status, const std::string& message, const std::string& reason) {
    json error = {{"status", status}, {"message", message}};
    if (!reason.empty()) error["reason"] = reason;
    return json{{"error", error}};
}

void send_error(httplib::Response& res, int status, const std::string& message,
                const std::string& reason) {
    send_json(res, status, error_body(status, message, reason));
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string url_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '+' && plus_is_space) {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
                   hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string url_encode(std::string_view text) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += digits[byte >> 4];
            out += digits[byte & 0xF];
        }
    }
    return out;
}

Params parse_urlencoded(std::string_view text) {
    Params params;
    for (const auto& pair : split(text, '&')) {
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string key = url_decode(pair.substr(0, eq), true);
        std::string value = eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1), true);
        params.emplace(std::move(key), std::move(value));
    }
    return params;
}

std::string query_of(const httplib::Request& req) {
    auto q = req.target.find('?');
    return q == std::string::npos ? std::string() : req.target.substr(q + 1);
}

std::optional<int64_t> parse_int(std::string_view text) {
    int64_t value = 0;
    if (text.empty()) return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

int64_t query_int(const Call& call, const std::string& key, int64_t fallback, int64_t min,
                  int64_t max) {
    auto text = call.param(key);
    if (!text) return fallback;
    auto value = parse_int(*text);
    if (!value || *value < min || *value > max) throw ApiError(400, "Invalid " + key);
    return *value;
}

std::vector<std::string> split(std::string_view text, char sep) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find(sep, start);
        if (end == std::string_view::npos) end = text.size();
        parts.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

std::string random_hex(size_t bytes) {
    static std::mutex mutex;
    static std::mt19937_64 engine{std::random_device{}()};
    static const char* digits = "0123456789abcdef";
    std::lock_guard lock(mutex);
    std::string out;
    for (size_t i = 0; i < bytes; ++i) {
        auto byte = static_cast<unsigned>(engine() & 0xFF);
        out += digits[byte >> 4];
        out += digits[byte & 0xF];
    }
    return out;
}

std::string status_text(int status) {
    switch (status) {
        case 400:
            return "Bad request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not found";
        case 429:
            return "API rate limit exceeded";
        case 500:
            return "Server error";
        case 502:
            return "Bad gateway";
        case 503:
            return "Service unavailable";
        default:
            return "Error";
    }
}

}  // namespace fake_spotify
