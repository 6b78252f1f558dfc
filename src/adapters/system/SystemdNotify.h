// systemd's service notification protocol (sd_notify(3)), spoken directly: one datagram per
// message to the AF_UNIX socket named by $NOTIFY_SOCKET, so the unit can be Type=notify with a
// WatchdogSec= without linking libsystemd. Outside systemd (no $NOTIFY_SOCKET) it does nothing.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace s2m {

class SystemdNotifier {
  public:
    // Reads $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID once.
    SystemdNotifier();

    bool enabled() const { return !socket_path_.empty(); }
    // Sends e.g. "READY=1\nSTATUS=…"; false (and a debug log) when it could not be delivered.
    bool notify(std::string_view message) const;
    // How often to send WATCHDOG=1: half of WatchdogSec=, as sd_watchdog_enabled(3) advises;
    // nullopt when systemd runs no watchdog for this process.
    std::optional<std::chrono::milliseconds> watchdog_every() const { return watchdog_every_; }

  private:
    std::string socket_path_;  // a leading '@' names an abstract socket
    std::optional<std::chrono::milliseconds> watchdog_every_;
};

}  // namespace s2m
