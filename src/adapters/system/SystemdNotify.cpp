#include "adapters/system/SystemdNotify.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace s2m {

namespace {
std::optional<long long> env_number(const char* name) {
    const char* text = std::getenv(name);
    if (text == nullptr || *text == '\0') return std::nullopt;
    char* end = nullptr;
    errno = 0;
    long long value = std::strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || value <= 0) return std::nullopt;
    return value;
}
}  // namespace

SystemdNotifier::SystemdNotifier() {
    if (const char* path = std::getenv("NOTIFY_SOCKET"); path != nullptr) {
        // Only absolute paths and abstract names are valid; anything else is ignored, as
        // libsystemd does.
        if (path[0] == '/' || path[0] == '@') socket_path_ = path;
    }
    auto usec = env_number("WATCHDOG_USEC");
    auto pid = env_number("WATCHDOG_PID");
    // WATCHDOG_PID, when set, says which process the watchdog is for (not a child we forked).
    bool for_us = !pid || *pid == static_cast<long long>(getpid());
    if (enabled() && usec && for_us) {
        watchdog_every_ = std::chrono::milliseconds(std::max<long long>(1, *usec / 2000));
    }
}

bool SystemdNotifier::notify(std::string_view message) const {
    if (!enabled()) return false;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path_.size() >= sizeof(address.sun_path)) return false;
    std::memcpy(address.sun_path, socket_path_.data(), socket_path_.size());
    if (address.sun_path[0] == '@') address.sun_path[0] = '\0';
    auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());

    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    ssize_t sent = sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
                          reinterpret_cast<const sockaddr*>(&address), length);
    int error = errno;
    close(fd);
    if (sent != static_cast<ssize_t>(message.size())) {
        spdlog::debug("systemd notification not delivered to {}: {}", socket_path_,
                      std::strerror(error));
        return false;
    }
    return true;
}

}  // namespace s2m
