#include "FakeServer.h"

#include "DemoWorld.h"

namespace fake_spotify {

namespace {

constexpr size_t kPayloadLimit = 1024 * 1024;
constexpr time_t kIoTimeoutS = 10;
// Delay faults park a worker each; enough workers that a few hangs never starve other calls.
constexpr size_t kWorkerThreads = 32;

}  // namespace

FakeServer::FakeServer(const Options& options) : options_(options) {
    std::vector<std::string> redirect_uris{kDefaultRedirectUri};
    redirect_uris.insert(redirect_uris.end(), options_.redirect_uris.begin(),
                         options_.redirect_uris.end());
    world_.add_client({"fake-client-id", std::string("fake-client-secret"), redirect_uris});
    for (auto client : options_.clients) {
        client.redirect_uris = redirect_uris;
        world_.add_client(std::move(client));
    }
    {
        std::lock_guard lock(world_.mutex());
        world_.set_speed(options_.speed);
    }
    if (options_.demo) load_demo(world_);

    accounts_.register_routes(router_);
    authorize_.register_routes(router_);
    web_.register_routes(router_);
    player_.register_routes(router_);
    spoken_word_.register_routes(router_);
    playlist_edit_.register_routes(router_);
    search_.register_routes(router_);
    library_.register_routes(router_);
    listening_.register_routes(router_);
    control_.register_routes(router_);

    if (options_.tls_cert.empty()) {
        server_ = std::make_unique<httplib::Server>();
    } else {
        server_ = std::make_unique<httplib::SSLServer>(options_.tls_cert.c_str(),
                                                       options_.tls_key.c_str());
    }
    server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
    server_->set_payload_max_length(kPayloadLimit);
    server_->set_read_timeout(kIoTimeoutS, 0);
    server_->set_write_timeout(kIoTimeoutS, 0);
    // httplib writes headers and body separately: with Nagle on, the body of every answer on a
    // reused connection waited ~40 ms for the client's delayed ACK, which Spotify's servers do
    // not make anyone wait.
    server_->set_tcp_nodelay(true);
    // httplib would wait for a body that never comes when a request with a body method has no
    // Content-Length (curl -X POST without data); answer those here, before it tries to read.
    server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        bool body_method = req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
                           req.method == "DELETE";
        if (!body_method || req.has_header("Content-Length") ||
            req.has_header("Transfer-Encoding")) {
            return httplib::Server::HandlerResponse::Unhandled;
        }
        handle(req, res, true);
        return httplib::Server::HandlerResponse::Handled;
    });
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
        handle(req, res, false);
    };
    server_->Get(".*", handler);
    server_->Post(".*", handler);
    server_->Put(".*", handler);
    server_->Delete(".*", handler);
    server_->Patch(".*", handler);
}

int FakeServer::bind() {
    if (options_.port == 0) {
        port_ = server_->bind_to_any_port(options_.host);
    } else {
        port_ = server_->bind_to_port(options_.host, options_.port) ? options_.port : -1;
    }
    return port_;
}

bool FakeServer::run() {
    return server_->listen_after_bind();
}

void FakeServer::stop() {
    {
        std::lock_guard lock(stop_mutex_);
        stopping_ = true;
    }
    stop_cv_.notify_all();
    server_->stop();
}

void FakeServer::hang(int64_t ms) {
    std::unique_lock lock(stop_mutex_);
    stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

std::optional<std::string> FakeServer::resolve_user(const httplib::Request& req) {
    std::lock_guard lock(world_.mutex());
    std::string authorization = req.get_header_value("Authorization");
    if (authorization.starts_with("Bearer "))
        return world_.user_of_access_token(authorization.substr(7));
    if (req.path == "/api/token") {
        auto form = parse_urlencoded(req.body);
        if (auto it = form.find("refresh_token"); it != form.end()) {
            return world_.user_of_refresh_token(it->second);
        }
        if (auto it = form.find("code"); it != form.end())
            return authorize_.user_of_code(it->second);
    }
    return std::nullopt;
}

// Web API calls: the app their token was issued to (the token endpoint sets it from the
// client's credentials itself).
std::optional<std::string> FakeServer::resolve_client(const httplib::Request& req) {
    std::lock_guard lock(world_.mutex());
    std::string authorization = req.get_header_value("Authorization");
    if (authorization.starts_with("Bearer "))
        return world_.client_of_access_token(authorization.substr(7));
    return std::nullopt;
}

void FakeServer::handle(const httplib::Request& req, httplib::Response& res, bool no_length) {
    // Arrival on the machine-wide monotonic clock, so benches can compare it with their own.
    const auto arrived = std::chrono::steady_clock::now();
    std::string host = req.get_header_value("Host");
    Call call{req, res, parse_urlencoded(query_of(req)),
              "http://" + (host.empty() ? options_.host + ":" + std::to_string(port_) : host)};
    const bool control = req.path.starts_with("/_control");
    bool answered = false;
    if (!control && no_length && req.method != "DELETE") {
        // Spotify's front end refuses these too; the bridge must send Content-Length: 0.
        send_error(res, 411, req.method + " requests require a Content-length header");
        answered = true;
    }
    if (!control && !answered) {
        call.user = resolve_user(req);
        call.client_id = resolve_client(req);
        if (auto fault = faults_.take(req.method, req.path, call.user)) {
            if (fault->delay_ms > 0) {
                faults_.holding(fault->id, 1);
                hang(fault->delay_ms);
                faults_.holding(fault->id, -1);
            }
            if (fault->status != 0) {
                res.status = fault->status;
                for (const auto& [name, value] : fault->headers) res.set_header(name, value);
                if (!fault->body.empty()) res.set_content(fault->body, fault->content_type);
                answered = true;
            }
        }
    }
    if (!answered) {
        try {
            router_.dispatch(call);
        } catch (const ApiError& e) {
            send_error(res, e.status, e.message, e.reason);
        } catch (const json::exception& e) {
            send_error(res, 400, std::string("Malformed json: ") + e.what());
        } catch (const std::exception& e) {
            send_error(res, 500, std::string("Fake server error: ") + e.what());
        }
    }
    if (control) return;
    auto t_ms = std::chrono::duration_cast<std::chrono::milliseconds>(arrived - started_).count();
    auto mono_us =
        std::chrono::duration_cast<std::chrono::microseconds>(arrived.time_since_epoch()).count();
    std::vector<std::string> header_names;
    for (const auto& [name, value] : req.headers) header_names.push_back(name);
    log_.add(LogEntry{t_ms, mono_us, req.method, req.path, query_of(req), req.body,
                      req.get_header_value("Content-Type"), call.user, call.client_id, res.status,
                      std::move(header_names)});
}

}  // namespace fake_spotify
