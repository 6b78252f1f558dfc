// The HTTP server under the account page (adapters/web/WebApp): libmicrohttpd with one network
// thread for every connection, so a slow client holds no thread. Handlers run on their own
// threads (adapters/web/HandlerThreads): /metrics and /healthz on one that page work never
// occupies. Connections are capped in all and per client address, a request must arrive whole
// within 10 s (adapters/web/ConnectionWatch), headers are capped by a 64 KiB per-connection
// memory limit and bodies at 16 KiB.
//
// Not cpp-httplib (still used by `spotify2mqtt link`): Debian's 0.11 is a prebuilt library whose
// compile-time limits cannot be changed; it reads any number of 8 KiB header lines, its timeout is
// per read rather than per request, and it holds one of its threads per connection, so four slow
// clients kept /healthz from answering.
#pragma once

#include <memory>
#include <string>

#include "adapters/web/WebApp.h"
#include "config/Config.h"
#include "core/Metrics.h"
#include "ports/LinkPort.h"

namespace s2m {

class WebServer {
  public:
    WebServer(const Config& config, LinkPort& link, Metrics& metrics);
    ~WebServer();

    // Binds web.listen and serves in the background. False (with the reason logged) when it
    // cannot bind: the bridge goes on without its page.
    bool start();
    void stop();

    class Running;  // the server while it runs (libmicrohttpd stays out of this header)

  private:
    Config config_;
    WebApp app_;
    std::unique_ptr<Running> running_;
};

}  // namespace s2m
