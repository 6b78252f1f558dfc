// One HTTP request and its answer in the page's own terms, and the table that routes a request to
// its handler. The page's handlers (adapters/web/WebApp) see only these, so the server library
// underneath (adapters/web/WebServer) can change without touching them.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace s2m {

struct PageRequest {
    std::string method;  // "GET", "POST", "HEAD", …
    std::string target;  // as sent: the path and query, still %-encoded
    std::string path;    // the target up to '?', %-decoded
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // The query's parameters, then the form body's (application/x-www-form-urlencoded).
    std::vector<std::pair<std::string, std::string>> params;
    // The client's IP address as the transport saw the socket (never from a header); empty when
    // the transport does not say. Decides whether the setup code is needed (adapters/web/WebApp).
    std::string remote_address;
    // What a route's `{name}` segments matched, in order.
    std::vector<std::string> captures;

    // The first header of that name (case-insensitive); empty when absent.
    std::string header(std::string_view name) const;
    // The first parameter of that name; empty when absent.
    std::string param(std::string_view name) const;
};

// A path with its %-escapes decoded (`+` stays `+`); as it was when an escape is broken.
std::string decode_path(std::string_view raw);

// The Supervisor's X-Ingress-Path is "/api/hassio_ingress/<token>": a path of URL-safe
// characters without empty, "." or ".." segments. Anything else did not come from it, and would
// end up in the page's links.
bool is_ingress_path(std::string_view path);

// Fills path and params from target, body and the Content-Type header. A garbled query or form
// (a broken %-escape) gives no parameters from it.
void parse_target_and_form(PageRequest& request);

struct PageResponse {
    int status = 200;
    std::string body;
    std::string content_type;  // empty: no body
    std::vector<std::pair<std::string, std::string>> headers;

    void set_header(std::string name, std::string value);
    void set_content(std::string content, std::string type);
};

using PageHandler = std::function<void(const PageRequest&, PageResponse&)>;

// Routes by method and path. Paths are compared literally, segment by segment (a `.` or `(` in a
// configured callback path is just a character); a `{name}` segment matches one account name
// ([a-z0-9_-], 1 to 32 characters). HEAD is served by the GET routes.
class RouteTable {
  public:
    void add(std::string method, std::string path, PageHandler handler);
    // The matching route's handler with request.captures filled; nullptr when none matches.
    const PageHandler* find(PageRequest& request) const;

  private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;
        PageHandler handler;
    };
    std::vector<Route> routes_;
};

}  // namespace s2m
