#include "adapters/system/TcpNoDelay.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdlib>

namespace s2m {

int broker_port(const std::string& url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return 0;
    std::string scheme = url.substr(0, scheme_end);
    std::string rest = url.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find('/'));
    auto colon = rest.rfind(':');
    // An IPv6 literal without a port ends in ']'.
    if (colon != std::string::npos && rest.find(']', colon) == std::string::npos) {
        int port = std::atoi(rest.c_str() + colon + 1);
        return port > 0 && port < 65536 ? port : 0;
    }
    return scheme == "mqtts" || scheme == "ssl" ? 8883 : 1883;
}

namespace {
int peer_port(int fd) {
    sockaddr_storage peer{};
    socklen_t length = sizeof(peer);
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return -1;
    if (peer.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&peer)->sin_port);
    if (peer.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&peer)->sin6_port);
    return -1;
}
}  // namespace

int set_tcp_nodelay_to_port(int port) {
    if (port <= 0) return 0;
    DIR* fds = opendir("/proc/self/fd");
    if (!fds) return 0;
    int changed = 0;
    while (dirent* entry = readdir(fds)) {
        char* end = nullptr;
        long fd = std::strtol(entry->d_name, &end, 10);
        if (*end != '\0' || fd < 0 || fd == dirfd(fds)) continue;
        struct stat info {};
        if (fstat(static_cast<int>(fd), &info) != 0 || !S_ISSOCK(info.st_mode)) continue;
        int type = 0;
        socklen_t size = sizeof(type);
        if (getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_TYPE, &type, &size) != 0 ||
            type != SOCK_STREAM || peer_port(static_cast<int>(fd)) != port) {
            continue;
        }
        int on = 1;
        if (setsockopt(static_cast<int>(fd), IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == 0)
            ++changed;
    }
    closedir(fds);
    return changed;
}

}  // namespace s2m
