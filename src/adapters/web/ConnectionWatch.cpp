#include "adapters/web/ConnectionWatch.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace s2m {

using Clock = std::chrono::steady_clock;

namespace {
// The client's address is the one it connected to: a probe from this host to itself.
bool own_host_probe(int fd) {
    sockaddr_storage peer{};
    sockaddr_storage local{};
    socklen_t peer_size = sizeof peer;
    socklen_t local_size = sizeof local;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0 ||
        peer.ss_family != local.ss_family) {
        return false;
    }
    if (peer.ss_family == AF_INET) {
        return reinterpret_cast<sockaddr_in&>(peer).sin_addr.s_addr ==
               reinterpret_cast<sockaddr_in&>(local).sin_addr.s_addr;
    }
    if (peer.ss_family == AF_INET6) {
        return std::memcmp(&reinterpret_cast<sockaddr_in6&>(peer).sin6_addr,
                           &reinterpret_cast<sockaddr_in6&>(local).sin6_addr,
                           sizeof(in6_addr)) == 0;
    }
    return false;
}
}  // namespace

struct ConnectionWatch::Connection {
    int fd;
    bool own_host;
    bool receiving = true;  // a request is (or may be) on its way: the deadline runs
    bool cut = false;
    Clock::time_point since = Clock::now();
};

PageLimits PageLimits::for_open_files(rlim_t soft_limit) {
    PageLimits limits;
    // A quarter of the descriptors at most, 64 at most, and never fewer than the reserve needs.
    rlim_t quarter = soft_limit == RLIM_INFINITY ? limits.total : soft_limit / 4;
    limits.total = static_cast<unsigned>(std::clamp<rlim_t>(quarter, 16, limits.total));
    return limits;
}

ConnectionWatch::ConnectionWatch(PageLimits limits)
    : limits_(limits), thread_([this] { watch(); }) {}

ConnectionWatch::~ConnectionWatch() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    for (Connection* connection : connections_) delete connection;
}

ConnectionWatch::Connection* ConnectionWatch::opened(int fd) {
    auto* connection = new Connection{fd, own_host_probe(fd)};
    {
        std::lock_guard lock(mutex_);
        connections_.insert(connection);
        if (!connection->own_host && ++elsewhere_ + limits_.own_host_reserve > limits_.total) {
            // Refused the only way the server library leaves open after accepting.
            ::shutdown(fd, SHUT_RDWR);
            connection->cut = true;
        }
    }
    wake_.notify_all();
    return connection;
}

void ConnectionWatch::closed(Connection* connection) {
    {
        std::lock_guard lock(mutex_);
        connections_.erase(connection);
        if (!connection->own_host) --elsewhere_;
    }
    delete connection;
}

void ConnectionWatch::request_received(Connection* connection) {
    std::lock_guard lock(mutex_);
    connection->receiving = false;
}

void ConnectionWatch::answer_sent(Connection* connection) {
    std::lock_guard lock(mutex_);
    connection->receiving = true;
    connection->since = Clock::now();
}

void ConnectionWatch::watch() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        // An idle page costs no wake-ups; with connections, a quarter second is precise enough.
        if (connections_.empty()) {
            wake_.wait(lock);
        } else {
            wake_.wait_for(lock, std::chrono::milliseconds(250));
        }
        Clock::time_point now = Clock::now();
        for (Connection* connection : connections_) {
            if (!connection->receiving || connection->cut) continue;
            if (now - connection->since < limits_.request_deadline) continue;
            // Under the lock: closed() (called before the server closes the descriptor) waits
            // for it, so `fd` is still this connection's. The server then reads end-of-file and
            // closes the connection itself.
            ::shutdown(connection->fd, SHUT_RDWR);
            connection->cut = true;
        }
    }
}

}  // namespace s2m
