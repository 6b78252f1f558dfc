#include "adapters/web/WebApp.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "adapters/system/SecureRandom.h"
#include "adapters/web/Pages.h"
#include "config/ConfigChecks.h"
#include "core/Encoding.h"

namespace s2m {

namespace {
// framed: under ingress Home Assistant's own pages frame the page (same origin, its panel).
void send_html(PageResponse& res, int status, const std::string& html, bool framed = false) {
    res.status = status;
    // The page is never framed by another site, cached or leaking where it came from.
    res.set_header("X-Frame-Options", framed ? "SAMEORIGIN" : "DENY");
    res.set_header(
        "Content-Security-Policy",
        std::string("default-src 'none'; style-src 'unsafe-inline'; script-src "
                    "'unsafe-inline'; form-action 'self' https: http:; frame-ancestors ") +
            (framed ? "'self'" : "'none'"));
    res.set_header("Cache-Control", "no-store");
    // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own
    // forms, which origin_allowed must refuse; other sites still get no referrer.
    res.set_header("Referrer-Policy", "same-origin");
    res.set_content(html, "text/html; charset=utf-8");
}

void redirect(PageResponse& res, const std::string& location) {
    res.status = 303;
    res.set_header("Location", location);
    res.set_header("Cache-Control", "no-store");
}

int64_t steady_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string listen_host(const Config& config) {
    if (!config.web.listen) return "127.0.0.1";
    // Checked with the config; should it not parse, it counts as no loopback address.
    return split_url("http://" + *config.web.listen).value_or(UrlParts{}).host;
}
}  // namespace

WebApp::WebApp(const Config& config, LinkPort& link, Metrics& metrics)
    : config_(config),
      link_(link),
      metrics_(metrics),
      listens_on_loopback_(is_loopback_address(listen_host(config))),
      setup_code_configured_(config.web.setup_code.has_value()),
      setup_gate_(config.web.setup_code.value_or(make_setup_code(secure_random_bytes(12)))) {
    UrlParts redirect = split_url(config.spotify.redirect_uri).value_or(UrlParts{});
    std::string path = redirect.path.substr(0, redirect.path.find('?'));
    // Compared with the request's decoded path, literally (adapters/web/HttpExchange).
    callback_path_ = path.empty() ? "/callback" : decode_path(path);
    redirect_host_ = ascii_lowercase(redirect.host);
    add_routes();
    log_setup_code();
}

void WebApp::log_setup_code() const {
    // Under ingress nobody but Home Assistant's proxy is answered: no code is asked for.
    if (listens_on_loopback_ || !config_.web.listen || config_.web.ingress) return;
    if (setup_code_configured_) {
        spdlog::info(
            "web: the page listens on {}: from other machines, linking, unlinking and the "
            "Spotify app need the setup code of web.setup_code",
            *config_.web.listen);
        return;
    }
    // The one way to learn the code is the log, which only the bridge's owner reads.
    spdlog::warn(
        "web: the page listens on {}: from other machines, linking, unlinking and the Spotify "
        "app need the setup code {} (a new one at every start; set web.setup_code to keep one)",
        *config_.web.listen, setup_gate_.code());
}

bool WebApp::is_monitoring(const PageRequest& request) {
    return (request.method == "GET" || request.method == "HEAD") &&
           (request.path == "/metrics" || request.path == "/healthz");
}

bool WebApp::ingress_allowed(const PageRequest& req, PageResponse& res) const {
    std::string from = plain_ip_address(req.remote_address);
    // The image's HEALTHCHECK asks /healthz from inside the add-on's own container.
    if (is_monitoring(req) && is_loopback_address(from)) return true;
    if (from.empty() || from != plain_ip_address(config_.web.ingress_proxy)) {
        send_html(res, 403,
                  render_message_page("Refused",
                                      "This add-on's page opens only from Home Assistant: its "
                                      "sidebar entry, or Open Web UI on the add-on's page.",
                                      false),
                  true);
        return false;
    }
    if (!is_ingress_path(req.header("X-Ingress-Path"))) {
        send_html(res, 400,
                  render_message_page("Refused",
                                      "The request came without a valid X-Ingress-Path header "
                                      "from Home Assistant's ingress proxy.",
                                      false),
                  true);
        return false;
    }
    return true;
}

std::string WebApp::base_path(const PageRequest& req) const {
    return config_.web.ingress ? req.header("X-Ingress-Path") : std::string();
}

void WebApp::send(const PageRequest& req, PageResponse& res, int status, const std::string& title,
                  const std::string& message, bool ok) const {
    send_html(res, status, render_message_page(title, message, ok, base_path(req)),
              config_.web.ingress);
}

bool WebApp::host_allowed(const PageRequest& req) const {
    std::string host = ascii_lowercase(req.header("Host"));
    if (host.empty()) return false;
    // Strip the port; keep IPv6 brackets out of the name.
    if (host.front() == '[') {
        host = host.substr(1, host.find(']') - 1);
        return is_ipv6_literal(host);
    }
    host = host.substr(0, host.find(':'));
    return is_ipv4_literal(host) || host == "localhost" || host == redirect_host_;
}

bool WebApp::origin_allowed(const PageRequest& req) const {
    // Browsers say where a form was posted from; a page elsewhere must not unlink accounts.
    if (req.header("Sec-Fetch-Site") == "cross-site") return false;
    std::string origin = req.header("Origin");
    if (origin.empty()) return true;  // not a browser form, or an old browser
    if (origin == "null") return false;
    return ascii_lowercase(origin) == "http://" + ascii_lowercase(req.header("Host")) ||
           ascii_lowercase(origin) == "https://" + ascii_lowercase(req.header("Host"));
}

PageResponse WebApp::handle(PageRequest request) {
    PageResponse res;
    // Under ingress only the Supervisor's proxy connects, and it forwards the browser's Host
    // (Home Assistant's name): a rebinding page cannot reach the add-on's address at all.
    if (config_.web.ingress) {
        if (!ingress_allowed(request, res)) return res;
    } else if (!is_monitoring(request) && !host_allowed(request)) {
        // Monitoring reaches the bridge by whatever name it has on the network (Prometheus'
        // `spotify2mqtt:8888`, a compose service name). These two answers change nothing and
        // hold no secret (counts and account names), so a rebinding page gains nothing there.
        send(request, res, 421, "Wrong address",
             "This bridge answers only on its IP address or localhost.", false);
        return res;
    }
    if (request.method == "POST" && !origin_allowed(request)) {
        send(request, res, 403, "Refused", "This form was sent from another site.", false);
        return res;
    }
    const PageHandler* handler = routes_.find(request);
    if (!handler) {
        res.status = 404;
        return res;
    }
    (*handler)(request, res);
    return res;
}

bool WebApp::is_local(const PageRequest& req) const {
    // Home Assistant signed the person in before its proxy passed the request on.
    if (config_.web.ingress) return true;
    if (req.remote_address.empty()) return listens_on_loopback_;
    return is_loopback_address(req.remote_address);
}

bool WebApp::may_change(const PageRequest& req, PageResponse& res) {
    if (is_local(req)) return true;
    SetupGate::Answer answer = setup_gate_.check(req.param("setup_code"), steady_now_ms());
    std::string seconds = std::to_string((answer.retry_in_ms + 999) / 1000);
    switch (answer.verdict) {
        case SetupGate::Verdict::Allowed:
            return true;
        case SetupGate::Verdict::Missing:
            send(req, res, 403, "Setup code needed",
                 "From another machine, type the setup code with this action: it is in the "
                 "bridge's log at start (or is web.setup_code in its config).",
                 false);
            return false;
        case SetupGate::Verdict::Wrong:
            spdlog::warn("web: a wrong setup code from {}; the next try is heard in {} s",
                         req.remote_address.empty() ? "another machine" : req.remote_address,
                         seconds);
            send(req, res, 403, "Wrong setup code",
                 "That setup code is wrong. Look it up in the bridge's log and try again in " +
                     seconds + " s.",
                 false);
            return false;
        case SetupGate::Verdict::Wait:
            break;
    }
    res.set_header("Retry-After", seconds);
    send(req, res, 429, "Too many wrong setup codes",
         "Wrong setup codes were typed; the next try is heard in " + seconds + " s.", false);
    return false;
}

void WebApp::accounts_page(const PageRequest& req, PageResponse& res,
                           std::optional<std::string> error, std::optional<std::string> notice) {
    AccountsPageInput input;
    input.accounts = link_.accounts();
    input.redirect_uri = config_.spotify.redirect_uri;
    input.app = link_.app();
    input.app_configured = !input.app.client_id.empty();
    input.client_secret_configured = input.app.has_secret;
    input.needs_setup_code = !is_local(req);
    input.version = SPOTIFY2MQTT_VERSION;
    input.error = std::move(error);
    input.notice = std::move(notice);
    input.base_path = base_path(req);
    input.ingress = config_.web.ingress;
    send_html(res, input.error ? 400 : 200, render_accounts_page(input), config_.web.ingress);
}

void WebApp::finish(const PageRequest& req, const Result<CallbackParams>& params,
                    PageResponse& res) {
    if (!params) return send(req, res, 400, "Linking failed", params.error().message, false);
    auto linked = link_.finish_link(params.value());
    if (!linked) return send(req, res, 400, "Linking failed", linked.error().message, false);
    send(req, res, 200, "Account linked",
         "The Spotify account is linked as \"" + linked.value() +
             "\" and is being polled now. You can close this window.",
         true);
}

void WebApp::add_routes() {
    routes_.add("GET", "/", [this](const PageRequest& req, PageResponse& res) {
        accounts_page(req, res, std::nullopt, std::nullopt);
    });
    routes_.add("POST", "/link", [this](const PageRequest& req, PageResponse& res) {
        if (!may_change(req, res)) return;
        std::string name = req.param("account");
        auto url = link_.begin_link(name.empty() ? std::nullopt : std::optional(name));
        if (!url) return accounts_page(req, res, url.error().message, std::nullopt);
        redirect(res, url.value());
    });
    routes_.add("POST", "/app", [this](const PageRequest& req, PageResponse& res) {
        if (!may_change(req, res)) return;
        StoredApp app{req.param("client_id"), req.param("client_secret")};
        auto saved = link_.save_app(app);
        if (!saved) return accounts_page(req, res, saved.error().message, std::nullopt);
        accounts_page(req, res, std::nullopt,
                      "The Spotify app is saved and in use. Link an account now.");
    });
    routes_.add("GET", callback_path_, [this](const PageRequest& req, PageResponse& res) {
        finish(req, parse_callback(req.target), res);
    });
    routes_.add("POST", "/link/paste", [this](const PageRequest& req, PageResponse& res) {
        finish(req, parse_callback(req.param("url")), res);
    });
    routes_.add("POST", "/accounts/{name}/unlink",
                [this](const PageRequest& req, PageResponse& res) {
                    if (!may_change(req, res)) return;
                    const std::string& name = req.captures.at(0);
                    auto removed = link_.unlink(name);
                    if (!removed)
                        return accounts_page(req, res, removed.error().message, std::nullopt);
                    accounts_page(req, res, std::nullopt, name + " was unlinked");
                });
    routes_.add("GET", "/metrics", [this](const PageRequest&, PageResponse& res) {
        res.set_content(metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
    });
    routes_.add("GET", "/healthz", [this](const PageRequest&, PageResponse& res) {
        bool healthy = link_.healthy();
        res.status = healthy ? 200 : 503;
        // Warnings (a token that cannot be saved) keep the 200: restarting the bridge would lose
        // the only copy of the newest token (docs/troubleshooting.md). A person or a monitor
        // reading the body still sees them, one line each.
        std::string body = healthy ? "ok\n" : "unhealthy\n";
        for (const std::string& warning : link_.warnings()) body += "warning: " + warning + "\n";
        res.set_content(body, "text/plain");
    });
}

}  // namespace s2m
