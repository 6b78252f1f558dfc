#include "adapters/web/WebServer.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "adapters/web/Pages.h"
#include "config/ConfigChecks.h"

namespace s2m {

namespace {
constexpr size_t kMaxBody = 16 * 1024;  // a pasted URL fits many times over
constexpr time_t kTimeoutS = 10;
constexpr size_t kThreads = 4;

void send_html(httplib::Response& res, int status, const std::string& html) {
    res.status = status;
    // The page is never framed, cached or leaking where it came from.
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                   "form-action 'self' https: http:; frame-ancestors 'none'");
    res.set_header("Cache-Control", "no-store");
    // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own
    // forms, which origin_allowed must refuse; other sites still get no referrer.
    res.set_header("Referrer-Policy", "same-origin");
    res.set_content(html, "text/html; charset=utf-8");
}

void redirect(httplib::Response& res, const std::string& location) {
    res.status = 303;
    res.set_header("Location", location);
    res.set_header("Cache-Control", "no-store");
}

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}
}  // namespace

WebServer::WebServer(const Config& config, LinkPort& link, Metrics& metrics)
    : config_(config), link_(link), metrics_(metrics) {
    UrlParts redirect = split_url(config.spotify.redirect_uri);
    std::string path = redirect.path.substr(0, redirect.path.find('?'));
    callback_path_ = path.empty() ? "/callback" : path;
    redirect_host_ = lowercase(redirect.host);
}

WebServer::~WebServer() {
    stop();
}

bool WebServer::host_allowed(const httplib::Request& req) const {
    std::string host = lowercase(req.get_header_value("Host"));
    if (host.empty()) return false;
    // Strip the port; keep IPv6 brackets out of the name.
    if (host.front() == '[') {
        host = host.substr(1, host.find(']') - 1);
        return is_ipv6_literal(host);
    }
    host = host.substr(0, host.find(':'));
    return is_ipv4_literal(host) || host == "localhost" || host == redirect_host_;
}

bool WebServer::origin_allowed(const httplib::Request& req) const {
    // Browsers say where a form was posted from; a page elsewhere must not unlink accounts.
    if (req.get_header_value("Sec-Fetch-Site") == "cross-site") return false;
    std::string origin = req.get_header_value("Origin");
    if (origin.empty()) return true;  // not a browser form, or an old browser
    if (origin == "null") return false;
    return lowercase(origin) == "http://" + lowercase(req.get_header_value("Host")) ||
           lowercase(origin) == "https://" + lowercase(req.get_header_value("Host"));
}

void WebServer::accounts_page(httplib::Response& res, std::optional<std::string> error,
                              std::optional<std::string> notice) {
    AccountsPageInput input;
    input.accounts = link_.accounts();
    input.redirect_uri = config_.spotify.redirect_uri;
    input.app_configured = !config_.spotify.client_id.empty();
    input.client_secret_configured =
        config_.spotify.client_secret && !config_.spotify.client_secret->empty();
    input.version = SPOTIFY2MQTT_VERSION;
    input.error = std::move(error);
    input.notice = std::move(notice);
    send_html(res, input.error ? 400 : 200, render_accounts_page(input));
}

void WebServer::finish(const Result<CallbackParams>& params, httplib::Response& res) {
    if (!params) {
        send_html(res, 400, render_message_page("Linking failed", params.error().message, false));
        return;
    }
    auto linked = link_.finish_link(params.value());
    if (!linked) {
        send_html(res, 400, render_message_page("Linking failed", linked.error().message, false));
        return;
    }
    send_html(res, 200,
              render_message_page("Account linked",
                                  "The Spotify account is linked as \"" + linked.value() +
                                      "\" and is being polled now. You can close this window.",
                                  true));
}

bool WebServer::start() {
    if (!config_.web.listen) return false;
    UrlParts listen = split_url("http://" + *config_.web.listen);
    server_ = std::make_unique<httplib::Server>();
    httplib::Server& server = *server_;
    server.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
    server.set_payload_max_length(kMaxBody);
    server.set_read_timeout(kTimeoutS, 0);
    server.set_write_timeout(kTimeoutS, 0);
    server.set_keep_alive_timeout(5);
    // Headers and body go out in two writes: without this a scrape on a kept-alive connection
    // waits ~40 ms for the scraper's delayed ACK.
    server.set_tcp_nodelay(true);

    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        // Monitoring reaches the bridge by whatever name it has on the network (Prometheus'
        // `spotify2mqtt:8888`, a compose service name). These two answers change nothing and
        // hold no secret (counts and account names), so a rebinding page gains nothing there.
        bool monitoring = req.method == "GET" && (req.path == "/metrics" || req.path == "/healthz");
        if (!monitoring && !host_allowed(req)) {
            send_html(res, 421,
                      render_message_page("Wrong address",
                                          "This bridge answers only on its IP address "
                                          "or localhost.",
                                          false));
            return httplib::Server::HandlerResponse::Handled;
        }
        if (req.method == "POST" && !origin_allowed(req)) {
            send_html(
                res, 403,
                render_message_page("Refused", "This form was sent from another site.", false));
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    server.Get("/", [this](const httplib::Request&, httplib::Response& res) {
        accounts_page(res, std::nullopt, std::nullopt);
    });
    server.Post("/link", [this](const httplib::Request& req, httplib::Response& res) {
        std::string name = req.get_param_value("account");
        auto url = link_.begin_link(name.empty() ? std::nullopt : std::optional(name));
        if (!url) return accounts_page(res, url.error().message, std::nullopt);
        redirect(res, url.value());
    });
    server.Get(callback_path_, [this](const httplib::Request& req, httplib::Response& res) {
        finish(parse_callback(req.target), res);
    });
    server.Post("/link/paste", [this](const httplib::Request& req, httplib::Response& res) {
        finish(parse_callback(req.get_param_value("url")), res);
    });
    server.Post(R"(/accounts/([a-z0-9_-]{1,32})/unlink)",
                [this](const httplib::Request& req, httplib::Response& res) {
                    std::string name = req.matches[1];
                    auto removed = link_.unlink(name);
                    if (!removed) return accounts_page(res, removed.error().message, std::nullopt);
                    accounts_page(res, std::nullopt, name + " was unlinked");
                });
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
    });
    server.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
        bool healthy = link_.healthy();
        res.status = healthy ? 200 : 503;
        res.set_content(healthy ? "ok\n" : "unhealthy\n", "text/plain");
    });

    int port = listen.port.value_or(8888);
    if (!server.bind_to_port(listen.host, port)) {
        spdlog::error(
            "web: cannot listen on {} (in use, or not an address of this host); the "
            "account page is off, the bridge goes on",
            *config_.web.listen);
        server_.reset();
        return false;
    }
    thread_ = std::thread([&server] { server.listen_after_bind(); });
    spdlog::info("web: account page on http://{}/ (callback {})", *config_.web.listen,
                 callback_path_);
    return true;
}

void WebServer::stop() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
}

}  // namespace s2m
