// What the account page, the OAuth callback, /metrics and /healthz answer, without any server
// library: an PageRequest in, an PageResponse out (the transport is adapters/web/WebServer). It
// knows nothing of the bridge but the LinkPort; every page is server-rendered (adapters/web/Pages).
//
// Safety: only Host headers naming an IP literal, `localhost` or the redirect URI's host are
// served (a DNS-rebinding page cannot pass; GET /metrics and /healthz answer any name, for
// monitoring), and POSTs from another origin are refused. What changes the bridge (link, unlink,
// the Spotify app) needs the setup code from clients on other machines (core/SetupCode.h).
// Behind Home Assistant's ingress (web.ingress) only the Supervisor's proxy is answered, and
// every link and form keeps its X-Ingress-Path prefix (docs/home-assistant-addon.md).
#pragma once

#include <optional>
#include <string>

#include "adapters/web/HttpExchange.h"
#include "config/Config.h"
#include "core/Metrics.h"
#include "core/SetupCode.h"
#include "ports/LinkPort.h"

namespace s2m {

class WebApp {
  public:
    WebApp(const Config& config, LinkPort& link, Metrics& metrics);

    // Answers one request. Page routes wait for the bridge (up to LoopLinkService's timeouts);
    // is_monitoring() requests only read.
    PageResponse handle(PageRequest request);

    // GET /metrics and /healthz: answered for any Host, and by the server apart from the page so
    // that a busy page never delays a health probe.
    static bool is_monitoring(const PageRequest& request);

    const std::string& callback_path() const { return callback_path_; }

  private:
    void add_routes();
    // web.ingress: only the Supervisor's proxy, with a well-formed X-Ingress-Path; otherwise
    // `res` says why.
    bool ingress_allowed(const PageRequest& req, PageResponse& res) const;
    // What the page's links and forms start with: the ingress prefix, or "".
    std::string base_path(const PageRequest& req) const;
    // A message page (adapters/web/Pages) with the request's base path.
    void send(const PageRequest& req, PageResponse& res, int status, const std::string& title,
              const std::string& message, bool ok) const;
    bool host_allowed(const PageRequest& req) const;
    bool origin_allowed(const PageRequest& req) const;
    // On this machine: by the socket's address, or, when the transport does not say, because the
    // page listens on loopback only (nobody else can connect then).
    bool is_local(const PageRequest& req) const;
    // True when `req` may change the bridge; otherwise `res` says why (and how long to wait).
    bool may_change(const PageRequest& req, PageResponse& res);
    void log_setup_code() const;
    void accounts_page(const PageRequest& req, PageResponse& res, std::optional<std::string> error,
                       std::optional<std::string> notice);
    void finish(const PageRequest& req, const Result<CallbackParams>& params, PageResponse& res);

    Config config_;
    LinkPort& link_;
    Metrics& metrics_;
    std::string callback_path_;
    std::string redirect_host_;
    bool listens_on_loopback_ = true;
    bool setup_code_configured_ = false;
    SetupGate setup_gate_;
    RouteTable routes_;
};

}  // namespace s2m
