// The account page and OAuth callback (cpp-httplib), on its own threads. It knows nothing of the
// bridge but the LinkPort; every answer is server-rendered HTML (adapters/web/Pages).
//
// Safety: only Host headers naming an IP literal, `localhost` or the redirect URI's host are
// served (a DNS-rebinding page cannot pass; GET /metrics and /healthz answer any name, for
// monitoring), POSTs from another origin are refused, bodies are capped and slow clients time
// out.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "config/Config.h"
#include "core/Metrics.h"
#include "ports/LinkPort.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace s2m {

class WebServer {
  public:
    WebServer(const Config& config, LinkPort& link, Metrics& metrics);
    ~WebServer();

    // Binds web.listen and serves in the background. False (with the reason logged) when it
    // cannot bind: the bridge goes on without its page.
    bool start();
    void stop();

  private:
    bool host_allowed(const httplib::Request& req) const;
    bool origin_allowed(const httplib::Request& req) const;
    void accounts_page(httplib::Response& res, std::optional<std::string> error,
                       std::optional<std::string> notice);
    void finish(const Result<CallbackParams>& params, httplib::Response& res);

    Config config_;
    LinkPort& link_;
    Metrics& metrics_;
    std::string callback_path_;
    std::string redirect_host_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
};

}  // namespace s2m
