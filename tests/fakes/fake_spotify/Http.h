// Small HTTP helpers shared by the fake's services: our own router (so that faults, logging and
// error shapes are applied in one place for every route), Spotify-shaped errors and parsing of
// query strings, forms and Basic credentials.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/Base64Decode.h"

namespace fake_spotify {

using nlohmann::json;
using Params = std::map<std::string, std::string>;

// Thrown by handlers anywhere below a route; the dispatcher turns it into Spotify's error body
// {"error":{"status","message"[,"reason"]}}. Throwing keeps the many validation paths short.
struct ApiError : std::runtime_error {
    ApiError(int status_, std::string message_, std::string reason_ = "")
        : std::runtime_error(message_),
          status(status_),
          message(std::move(message_)),
          reason(std::move(reason_)) {}
    int status;
    std::string message;
    std::string reason;
};

// One request in flight. Handlers fill `user` / `client_id` so the request log can name them.
struct Call {
    const httplib::Request& req;
    httplib::Response& res;
    Params query;                     // decoded query string (first value of each key)
    std::string base_url;             // "http://127.0.0.1:PORT", for absolute hrefs
    std::vector<std::string> groups;  // regex captures of the matched route
    std::optional<std::string> user;
    std::optional<std::string> client_id;

    std::string group(size_t i) const { return i < groups.size() ? groups[i] : std::string(); }
    std::optional<std::string> param(const std::string& key) const;
};

using Handler = std::function<void(Call&)>;

// Routes are matched in registration order against the whole path. A path that matches a route
// for another method answers 405, anything else 404, both in Spotify's shape.
class Router {
  public:
    void add(const std::string& method, const std::string& pattern, Handler handler);
    void dispatch(Call& call) const;

  private:
    struct Route {
        std::string method;
        std::regex pattern;
        Handler handler;
    };
    std::vector<Route> routes_;
};

void send_json(httplib::Response& res, int status, const json& body);
void send_no_content(httplib::Response& res);
// {"error":{"status":N,"message":…}} plus "reason" when given.
void send_error(httplib::Response& res, int status, const std::string& message,
                const std::string& reason = "");
json error_body(int status, const std::string& message, const std::string& reason = "");

std::string url_decode(std::string_view text, bool plus_is_space);
// Percent-encodes everything but RFC 3986's unreserved characters (safe in any query value).
std::string url_encode(std::string_view text);
// key=value&… as used by query strings and x-www-form-urlencoded bodies; first value wins.
Params parse_urlencoded(std::string_view text);
std::string query_of(const httplib::Request& req);
using test_common::base64_decode;
std::optional<int64_t> parse_int(std::string_view text);
// An optional whole-number query parameter: `fallback` when absent, 400 "Invalid <key>" as
// Spotify answers when it is not a number from `min` to `max`.
int64_t query_int(const Call& call, const std::string& key, int64_t fallback, int64_t min,
                  int64_t max);
std::vector<std::string> split(std::string_view text, char sep);
// Unpredictable enough for tokens in a test fake; never security relevant.
std::string random_hex(size_t bytes);
std::string status_text(int status);

}  // namespace fake_spotify
