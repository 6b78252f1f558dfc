// Type=notify under systemd (systemd/spotify2mqtt.service): the bridge tells the socket in
// $NOTIFY_SOCKET that it is ready, feeds the watchdog while its loop runs, and says when it stops.
// The test plays systemd's part with its own datagram socket.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "BridgeWorld.h"

using namespace s2m::test;
using Clock = std::chrono::steady_clock;

namespace {

// A bound AF_UNIX datagram socket, as systemd's notification socket.
class NotifySocket {
  public:
    NotifySocket() {
        path_ = (std::filesystem::temp_directory_path() /
                 ("s2m-notify-" + std::to_string(getpid()) + ".sock"))
                    .string();
        std::filesystem::remove(path_);
        fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path_.c_str(), sizeof(address.sun_path) - 1);
        if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0)
            throw std::runtime_error("cannot bind " + path_);
        timeval tick{0, 100000};
        setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof(tick));
    }
    ~NotifySocket() {
        close(fd_);
        std::filesystem::remove(path_);
    }
    const std::string& path() const { return path_; }

    // Every message received until one contains `wanted` or `timeout` passes.
    std::vector<std::string> receive_until(const std::string& wanted,
                                           std::chrono::milliseconds timeout) {
        std::vector<std::string> got;
        auto deadline = Clock::now() + timeout;
        while (Clock::now() < deadline) {
            char buffer[4096];
            ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
            if (n <= 0) continue;
            got.emplace_back(buffer, static_cast<size_t>(n));
            if (got.back().find(wanted) != std::string::npos) break;
        }
        return got;
    }

  private:
    std::string path_;
    int fd_ = -1;
};

size_t count_of(const std::vector<std::string>& messages, const std::string& what) {
    size_t n = 0;
    for (const auto& m : messages) n += m.find(what) != std::string::npos ? 1 : 0;
    return n;
}

// The bridge with no accounts, started with systemd's variables in its environment.
void start_bridge(BridgeWorld& world, std::map<std::string, std::string> env) {
    BridgeOptions options = world.bridge_options();
    options.env = std::move(env);
    world.bridge = std::make_unique<BridgeUnderTest>(options);
}

}  // namespace

TEST_CASE("under systemd the bridge reports READY, feeds the watchdog and reports STOPPING",
          "[systemd]") {
    BridgeWorld world;
    NotifySocket systemd;
    // WatchdogSec=1s: WATCHDOG=1 every 0.5 s.
    start_bridge(world, {{"NOTIFY_SOCKET", systemd.path()}, {"WATCHDOG_USEC", "1000000"}});
    INFO(world.bridge_log());

    auto first = systemd.receive_until("READY=1", std::chrono::seconds(15));
    REQUIRE(count_of(first, "READY=1") == 1);
    auto fed = systemd.receive_until("never sent", std::chrono::milliseconds(2600));
    CHECK(count_of(fed, "WATCHDOG=1") >= 3);
    CHECK(count_of(fed, "WATCHDOG=1") <= 7);

    world.bridge->process().signal(SIGTERM);
    auto last = systemd.receive_until("STOPPING=1", std::chrono::seconds(10));
    CHECK(count_of(last, "STOPPING=1") == 1);
    CHECK(world.bridge->process().wait_exit(std::chrono::seconds(10)) == 0);
}

TEST_CASE("a watchdog meant for another process is left alone", "[systemd]") {
    BridgeWorld world;
    NotifySocket systemd;
    // WATCHDOG_PID names the process systemd watches; our pid 1 is never the bridge.
    start_bridge(
        world,
        {{"NOTIFY_SOCKET", systemd.path()}, {"WATCHDOG_USEC", "200000"}, {"WATCHDOG_PID", "1"}});
    INFO(world.bridge_log());
    REQUIRE(count_of(systemd.receive_until("READY=1", std::chrono::seconds(15)), "READY=1") == 1);
    auto after = systemd.receive_until("never sent", std::chrono::milliseconds(1000));
    CHECK(count_of(after, "WATCHDOG=1") == 0);
}
