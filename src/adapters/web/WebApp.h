// What the account page, the OAuth callback, /metrics and /healthz answer, without any server
// library: an PageRequest in, an PageResponse out (the transport is adapters/web/WebServer). It
// knows nothing of the bridge but the LinkPort; every page is server-rendered (adapters/web/Pages).
//
// Safety: only Host headers naming an IP literal, `localhost` or the redirect URI's host are
// served (a DNS-rebinding page cannot pass; GET /metrics and /healthz answer any name, for
// monitoring), and POSTs from another origin are refused.
#pragma once

#include <optional>
#include <string>

#include "adapters/web/HttpExchange.h"
#include "config/Config.h"
#include "core/Metrics.h"
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
    bool host_allowed(const PageRequest& req) const;
    bool origin_allowed(const PageRequest& req) const;
    void accounts_page(PageResponse& res, std::optional<std::string> error,
                       std::optional<std::string> notice);
    void finish(const Result<CallbackParams>& params, PageResponse& res);

    Config config_;
    LinkPort& link_;
    Metrics& metrics_;
    std::string callback_path_;
    std::string redirect_host_;
    RouteTable routes_;
};

}  // namespace s2m
