// The bridge as a container runs it: PID 1 of its own PID namespace, stopped by `docker stop`
// (SIGTERM from outside). PID 1 gets no default signal actions from the kernel, so this only
// works because the bridge takes SIGTERM itself; the test makes it PID 1 with unshare(1).
#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "BridgeWorld.h"

using namespace s2m::test;

namespace {

// The first child of `pid` (unshare --fork's child is the bridge), or -1.
pid_t first_child(pid_t pid) {
    std::ifstream children("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) +
                           "/children");
    pid_t child = -1;
    children >> child;
    return children ? child : -1;
}

// The pid numbers of `pid` from its own namespace outwards ("NSpid:" in /proc/PID/status).
std::string namespace_pids(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("NSpid:", 0) == 0) return line.substr(6);
    }
    return "";
}

}  // namespace

TEST_CASE("as PID 1 in its own PID namespace, SIGTERM from outside stops the bridge cleanly",
          "[container]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("pia", 120000));
    BridgeOptions options = world.bridge_options(BridgeWorld::accounts({"pia"}));
    // A user namespace as well, so this needs no root; --kill-child: nothing outlives the test.
    options.wrapper = {"unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child"};
    BridgeUnderTest bridge(options);
    INFO(bridge.log());
    REQUIRE(world.wait_state("pia", [](const Json& s) { return s["state"] == "playing"; }));

    pid_t bridge_pid = first_child(bridge.process().pid());
    REQUIRE(bridge_pid > 0);
    std::istringstream pids(namespace_pids(bridge_pid));
    pid_t outside = 0, inside = 0;
    pids >> outside >> inside;
    REQUIRE(outside == bridge_pid);
    REQUIRE(inside == 1);  // it really is PID 1 where it runs

    world.probe.clear();
    REQUIRE(::kill(bridge_pid, SIGTERM) == 0);  // what `docker stop` sends first
    auto code = bridge.process().wait_exit(10s);
    REQUIRE(code);
    CHECK(*code == 0);  // unshare --fork exits with its child's status
    CHECK_THAT(bridge.log(), Catch::Contains("received SIGTERM"));
    CHECK(world.probe.wait_for_json(
        "spotify2mqtt/bridge/state", [](const Json& s) { return s["state"] == "offline"; }, 5s));
}
