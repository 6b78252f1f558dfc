// Wires the services to one httplib server. Every request goes through handle(): faults first
// (a rule may hang or answer instead of the route), then the router, then the request log.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "AuthorizeService.h"
#include "ControlApi.h"
#include "Faults.h"
#include "Http.h"
#include "LibraryApi.h"
#include "ListeningApi.h"
#include "PlayerApi.h"
#include "PlaylistEditApi.h"
#include "SearchApi.h"
#include "SpokenWordApi.h"
#include "TokenEndpoint.h"
#include "WebApi.h"
#include "World.h"

namespace fake_spotify {

struct Options {
    std::string host = "127.0.0.1";
    int port = 0;  // 0: any free port
    std::string port_file;
    bool demo = false;
    double speed = 1.0;
    std::vector<ClientApp> clients;  // on top of fake-client-id / fake-client-secret
    // Registered for every app above, after kDefaultRedirectUri.
    std::vector<std::string> redirect_uris;
    // Both set: serve HTTPS with this certificate (PEM), as Spotify does, for TLS tests.
    std::string tls_cert;
    std::string tls_key;
};

// What the bridge's example config uses, so a default set-up can log in without options.
inline constexpr char kDefaultRedirectUri[] = "http://127.0.0.1:8888/callback";

class FakeServer {
  public:
    explicit FakeServer(const Options& options);
    // False when the TLS certificate or key could not be loaded.
    bool valid() const { return server_->is_valid(); }
    // Returns the bound port, or -1.
    int bind();
    // Serves until stop(); returns false when the server could not run.
    bool run();
    // Safe from any thread; also wakes requests held by delay faults.
    void stop();

  private:
    // `no_length`: a POST/PUT/PATCH/DELETE without Content-Length (its body is empty).
    void handle(const httplib::Request& req, httplib::Response& res, bool no_length);
    std::optional<std::string> resolve_user(const httplib::Request& req);
    std::optional<std::string> resolve_client(const httplib::Request& req);
    // Waits up to `ms`, returning early when the server stops.
    void hang(int64_t ms);

    Options options_;
    int port_ = 0;
    World world_;
    FaultStore faults_;
    RequestLog log_;
    Router router_;
    AccountsService accounts_{world_};
    AuthorizeService authorize_{world_, accounts_};
    WebApi web_{world_};
    PlayerApi player_{world_};
    SpokenWordApi spoken_word_{world_};
    PlaylistEditApi playlist_edit_{world_};
    SearchApi search_{world_};
    LibraryApi library_{world_};
    ListeningApi listening_{world_};
    ControlApi control_{world_, faults_, log_};
    std::unique_ptr<httplib::Server> server_;  // an httplib::SSLServer with options.tls_cert
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();

    std::mutex stop_mutex_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;
};

}  // namespace fake_spotify
