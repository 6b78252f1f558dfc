#include "adapters/web/WebServer.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "config/ConfigChecks.h"

namespace s2m {

namespace {
constexpr size_t kMaxBody = 16 * 1024;  // a pasted URL fits many times over
constexpr time_t kTimeoutS = 10;
constexpr size_t kThreads = 4;

PageRequest to_request(const httplib::Request& req) {
    PageRequest request;
    request.method = req.method;
    request.target = req.target;
    request.headers.assign(req.headers.begin(), req.headers.end());
    request.body = req.body;
    parse_target_and_form(request);
    return request;
}

void send(const PageResponse& response, httplib::Response& res) {
    res.status = response.status;
    for (const auto& [name, value] : response.headers) res.set_header(name, value);
    if (!response.content_type.empty()) res.set_content(response.body, response.content_type);
}
}  // namespace

WebServer::WebServer(const Config& config, LinkPort& link, Metrics& metrics)
    : config_(config), app_(config, link, metrics) {}

WebServer::~WebServer() {
    stop();
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
    // Every request goes to WebApp, which routes it itself (literally: no path is a regex).
    auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
        send(app_.handle(to_request(req)), res);
    };
    server.Get(".*", dispatch);
    server.Post(".*", dispatch);
    server.Put(".*", dispatch);
    server.Delete(".*", dispatch);
    server.Patch(".*", dispatch);
    server.Options(".*", dispatch);

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
                 app_.callback_path());
    return true;
}

void WebServer::stop() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
}

}  // namespace s2m
