// Which client connections the page's server keeps, and how long a request may take to arrive.
// Independent of the server library: the server reports connections opening and closing, requests
// arriving and answers going out. A connection is cut off with shutdown(2) (the server then reads
// end-of-file and closes it) when its request has not fully arrived within the deadline, so a
// client sending one header line every few seconds cannot keep it for ever, and at once when
// clients elsewhere already hold all but the reserve.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace s2m {

struct PageLimits {
    unsigned total = 64;       // connections in all
    unsigned per_client = 16;  // from one address (a browser opens up to 6)
    // Of `total`, kept for the host's own probes (source address = destination address, as for
    // `spotify2mqtt healthcheck` and the container's HEALTHCHECK), so clients elsewhere can never
    // take every connection.
    unsigned own_host_reserve = 8;
    std::chrono::milliseconds request_deadline = std::chrono::seconds(10);

    // Well below the open-file limit: the bridge needs its descriptors for Spotify and MQTT.
    static PageLimits for_open_files(rlim_t soft_limit);
};

class ConnectionWatch {
  public:
    struct Connection;

    explicit ConnectionWatch(PageLimits limits);
    ~ConnectionWatch();
    ConnectionWatch(const ConnectionWatch&) = delete;
    ConnectionWatch& operator=(const ConnectionWatch&) = delete;

    // A connection the server accepted on socket `fd` (the server library enforces `total` and
    // `per_client` itself); its first request's deadline runs from now.
    Connection* opened(int fd);
    // Before the server closes `fd`: the watch never touches it again.
    void closed(Connection* connection);
    // The request has fully arrived: no deadline while it is answered.
    void request_received(Connection* connection);
    // The answer went out: the next request on this connection has its own deadline from now.
    void answer_sent(Connection* connection);

  private:
    void watch();

    PageLimits limits_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::set<Connection*> connections_;
    unsigned elsewhere_ = 0;  // connections that are not the host's own probes
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace s2m
