// The HTTP server under the account page (adapters/web/WebApp), on its own threads: it turns
// requests into HttpRequests and HttpResponses back into answers. Bodies are capped and slow
// clients time out.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "adapters/web/WebApp.h"
#include "config/Config.h"
#include "core/Metrics.h"
#include "ports/LinkPort.h"

namespace httplib {
class Server;
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
    Config config_;
    WebApp app_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
};

}  // namespace s2m
