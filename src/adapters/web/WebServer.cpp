#include "adapters/web/WebServer.h"

#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>

#include "adapters/web/ConnectionWatch.h"
#include "adapters/web/HandlerThreads.h"
#include "config/ConfigChecks.h"

namespace s2m {

// Named, not anonymous: WebServer::Running's lambdas capture these types (GCC's
// -Wsubobject-linkage in the unity build).
namespace page_server {
constexpr size_t kMaxBody = 16 * 1024;  // a pasted URL fits many times over
constexpr unsigned kIdleTimeoutS = 10;  // no byte either way for this long: closed
// Request line and headers must fit (with libmicrohttpd's read buffer): a browser's headers
// take 1-2 KiB, a flood of them is answered 431 at this size.
constexpr size_t kConnectionMemory = 64 * 1024;
constexpr size_t kPageThreads = 2;

// One TCP connection: its place in the watch and the raw target of its current request
// (libmicrohttpd hands the handler a decoded path without the query).
struct ConnectionState {
    ConnectionWatch::Connection* watched = nullptr;
    std::string target;
};

// One request while it is read, handled and answered.
struct Exchange {
    PageRequest request;
    bool too_large = false;
    bool handed_over = false;
    std::atomic<bool> answered{false};  // set by the handler thread before it resumes
    PageResponse response;
};

// A listening socket on host:port, or -1. SO_REUSEADDR lets a restarted bridge listen while its
// old connections linger in TIME_WAIT; never SO_REUSEPORT: two processes must not share the port.
int listen_on(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.empty() ? nullptr : host.c_str(), std::to_string(port).c_str(), &hints,
                    &found) != 0) {
        return -1;
    }
    int fd = -1;
    for (addrinfo* candidate = found; candidate && fd < 0; candidate = candidate->ai_next) {
        fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, 0);
        if (fd < 0) continue;
        int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (::bind(fd, candidate->ai_addr, candidate->ai_addrlen) != 0 || ::listen(fd, 128) != 0) {
            ::close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(found);
    return fd;
}

ConnectionState* state_of(MHD_Connection* connection) {
    const MHD_ConnectionInfo* info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? static_cast<ConnectionState*>(info->socket_context) : nullptr;
}

MHD_Result add_header(void* request, MHD_ValueKind, const char* name, const char* value) {
    static_cast<PageRequest*>(request)->headers.emplace_back(name, value ? value : "");
    return MHD_YES;
}

// The client's IP as text ("192.0.2.7", "::1"), or empty when libmicrohttpd cannot tell: the
// setup code is asked of every client that is not this machine (docs/linking.md).
std::string client_address(MHD_Connection* connection) {
    const MHD_ConnectionInfo* info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr) return {};
    char text[NI_MAXHOST] = {};
    const sockaddr* address = info->client_addr;
    socklen_t length = address->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    if (getnameinfo(address, length, text, sizeof text, nullptr, 0, NI_NUMERICHOST) != 0) return {};
    return text;
}

MHD_Result send_page(MHD_Connection* connection, const PageResponse& page) {
    MHD_Response* response = MHD_create_response_from_buffer(
        page.body.size(), const_cast<char*>(page.body.data()), MHD_RESPMEM_MUST_COPY);
    if (!response) return MHD_NO;
    for (const auto& [name, value] : page.headers)
        MHD_add_response_header(response, name.c_str(), value.c_str());
    if (!page.content_type.empty())
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, page.content_type.c_str());
    MHD_Result queued =
        MHD_queue_response(connection, static_cast<unsigned>(page.status), response);
    MHD_destroy_response(response);
    return queued;
}

MHD_Result send_status(MHD_Connection* connection, int status) {
    PageResponse page;
    page.status = status;
    return send_page(connection, page);
}

void log_from_library(void*, const char* format, va_list arguments) {
    char text[512];
    std::vsnprintf(text, sizeof text, format, arguments);
    std::string line(text);
    while (!line.empty() && line.back() == '\n') line.pop_back();
    spdlog::debug("web: {}", line);
}
}  // namespace page_server

using namespace page_server;

class WebServer::Running {
  public:
    Running(WebApp& app, PageLimits limits) : app_(app), watch_(limits) {}

    ~Running() {
        // Handler threads first: every suspended connection is answered and resumed, which
        // libmicrohttpd requires before it stops. Requests arriving meanwhile get 503 at once.
        {
            std::lock_guard lock(handing_over_);
            stopping_ = true;
        }
        page_threads_.reset();
        monitoring_threads_.reset();
        if (daemon_) MHD_stop_daemon(daemon_);
    }

    bool start(int listen_fd, const PageLimits& limits) {
        unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME |
                         MHD_USE_ERROR_LOG;
        daemon_ = MHD_start_daemon(
            flags, 0, nullptr, nullptr, &Running::on_request, this, MHD_OPTION_EXTERNAL_LOGGER,
            &log_from_library, nullptr, MHD_OPTION_LISTEN_SOCKET, listen_fd,
            MHD_OPTION_CONNECTION_LIMIT, limits.total, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
            limits.per_client, MHD_OPTION_CONNECTION_TIMEOUT, kIdleTimeoutS,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, kConnectionMemory, MHD_OPTION_NOTIFY_CONNECTION,
            &Running::on_connection, this, MHD_OPTION_NOTIFY_COMPLETED, &Running::on_completed,
            this, MHD_OPTION_URI_LOG_CALLBACK, &Running::on_target, this, MHD_OPTION_END);
        return daemon_ != nullptr;
    }

  private:
    static void on_connection(void* self, MHD_Connection* connection, void** context,
                              MHD_ConnectionNotificationCode event) {
        ConnectionWatch& watch = static_cast<Running*>(self)->watch_;
        if (event == MHD_CONNECTION_NOTIFY_STARTED) {
            auto* fd = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
            auto* state = new ConnectionState;
            state->watched = watch.opened(fd->connect_fd);
            *context = state;
        } else if (auto* state = static_cast<ConnectionState*>(*context)) {
            watch.closed(state->watched);
            delete state;
            *context = nullptr;
        }
    }

    static void* on_target(void*, const char* target, MHD_Connection* connection) {
        if (ConnectionState* state = state_of(connection)) state->target = target;
        return nullptr;
    }

    static void on_completed(void* self, MHD_Connection* connection, void** context,
                             MHD_RequestTerminationCode) {
        delete static_cast<Exchange*>(*context);
        *context = nullptr;
        if (ConnectionState* state = state_of(connection))
            static_cast<Running*>(self)->watch_.answer_sent(state->watched);
    }

    static MHD_Result on_request(void* self, MHD_Connection* connection, const char* path,
                                 const char* method, const char*, const char* upload,
                                 size_t* upload_size, void** context) {
        return static_cast<Running*>(self)->request(connection, path, method, upload, upload_size,
                                                    context);
    }

    MHD_Result request(MHD_Connection* connection, const char* path, const char* method,
                       const char* upload, size_t* upload_size, void** context) {
        auto* exchange = static_cast<Exchange*>(*context);
        ConnectionState* state = state_of(connection);
        if (!exchange) {  // the headers are in
            exchange = new Exchange;
            *context = exchange;
            exchange->request.method = method;
            exchange->request.target = state && !state->target.empty() ? state->target : path;
            MHD_get_connection_values(connection, MHD_HEADER_KIND, &add_header, &exchange->request);
            exchange->request.remote_address = client_address(connection);
            std::string length = exchange->request.header("Content-Length");
            if (!length.empty() && std::strtoull(length.c_str(), nullptr, 10) > kMaxBody) {
                if (state) watch_.request_received(state->watched);
                return send_status(connection, 413);
            }
            return MHD_YES;
        }
        if (*upload_size > 0) {
            // A chunked body says no length up front: what exceeds the cap is dropped, and the
            // answer is 413 once it has arrived (within the request deadline).
            if (exchange->request.body.size() + *upload_size > kMaxBody) {
                exchange->too_large = true;
            } else {
                exchange->request.body.append(upload, *upload_size);
            }
            *upload_size = 0;
            return MHD_YES;
        }
        if (exchange->answered.load(std::memory_order_acquire))
            return send_page(connection, exchange->response);
        if (exchange->handed_over) return MHD_YES;  // resumed without an answer: cannot happen
        if (state) watch_.request_received(state->watched);
        if (exchange->too_large) return send_status(connection, 413);
        parse_target_and_form(exchange->request);
        std::lock_guard lock(handing_over_);
        if (stopping_) return send_status(connection, 503);
        exchange->handed_over = true;
        MHD_suspend_connection(connection);
        HandlerThreads& threads =
            WebApp::is_monitoring(exchange->request) ? *monitoring_threads_ : *page_threads_;
        threads.post([this, exchange, connection] {
            try {
                if (stopping_) {
                    exchange->response.status = 503;
                } else {
                    exchange->response = app_.handle(exchange->request);
                }
            } catch (const std::exception& e) {
                // Bad input never ends the bridge: this request fails, the page goes on.
                spdlog::error("web: a {} request failed: {}", exchange->request.method, e.what());
                exchange->response = PageResponse{};
                exchange->response.status = 500;
            }
            exchange->answered.store(true, std::memory_order_release);
            MHD_resume_connection(connection);
        });
        return MHD_YES;
    }

    WebApp& app_;
    ConnectionWatch watch_;
    std::mutex handing_over_;  // no job is posted once stopping_ is set
    std::atomic<bool> stopping_{false};
    // Page work (waiting for the bridge, up to 25 s while linking) never delays monitoring.
    std::unique_ptr<HandlerThreads> page_threads_ = std::make_unique<HandlerThreads>(kPageThreads);
    std::unique_ptr<HandlerThreads> monitoring_threads_ = std::make_unique<HandlerThreads>(1);
    MHD_Daemon* daemon_ = nullptr;
};

WebServer::WebServer(const Config& config, LinkPort& link, Metrics& metrics)
    : config_(config), app_(config, link, metrics) {}

WebServer::~WebServer() {
    stop();
}

bool WebServer::start() {
    if (!config_.web.listen) return false;
    Result<UrlParts> listen = split_url("http://" + *config_.web.listen);
    int fd = listen ? listen_on(listen->host, listen->port.value_or(8888)) : -1;
    if (fd < 0) {
        spdlog::error(
            "web: cannot listen on {} (in use, or not an address of this host); the "
            "account page is off, the bridge goes on",
            *config_.web.listen);
        return false;
    }
    rlimit files{};
    ::getrlimit(RLIMIT_NOFILE, &files);
    PageLimits limits = PageLimits::for_open_files(files.rlim_cur);
    running_ = std::make_unique<Running>(app_, limits);
    if (!running_->start(fd, limits)) {
        ::close(fd);
        running_.reset();
        spdlog::error("web: the account page's server did not start; the bridge goes on");
        return false;
    }
    spdlog::info(
        "web: account page on http://{}/ (callback {}); at most {} connections, {} per client "
        "address",
        *config_.web.listen, app_.callback_path(), limits.total, limits.per_client);
    return true;
}

void WebServer::stop() {
    running_.reset();
}

}  // namespace s2m
