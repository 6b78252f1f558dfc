// Tests of the integration-test harness itself (support/), against real processes and a real
// mosquitto: if these fail, the bridge's integration tests cannot be trusted either.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "support/FakeSpotifyClient.h"
#include "support/Mosquitto.h"
#include "support/MqttProbe.h"
#include "support/Paths.h"
#include "support/Ports.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/Wait.h"

using namespace s2m::test;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

// Children print a marker once their signal traps are installed; signalling earlier would test
// the shell's start-up, not the trap. The marker is computed ("ready-2") because the log's spawn
// header repeats the command line, which must not count as the child being ready.
bool wait_log_contains(const Process& process, const std::string& text,
                       std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (process.log().find(text) == std::string::npos) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

// A zombie (killed, but not yet reaped by its new parent) counts as gone.
bool process_gone(pid_t pid) {
    if (::kill(pid, 0) != 0) return errno == ESRCH;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pid_field, comm, state;
    stat >> pid_field >> comm >> state;
    return state == "Z" || state == "X";
}

}  // namespace

TEST_CASE("Process reports the exit code and captures stdout and stderr", "[harness]") {
    TempDir dir;
    Process child({.argv = {"/bin/sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"},
                   .log_file = dir / "child.log"});
    REQUIRE(child.wait_exit(10s) == 3);
    CHECK_FALSE(child.running());
    CHECK(child.exit_code() == 3);
    CHECK_THAT(child.log(), Contains("to-stdout") && Contains("to-stderr"));
}

TEST_CASE("Process sets env and working dir and drops inherited SPOTIFY2MQTT variables",
          "[harness]") {
    TempDir dir;
    TempDir work;
    ::setenv("SPOTIFY2MQTT__LEAK", "from-the-test-runner", 1);
    Process child(
        {.argv = {"/bin/sh", "-c",
                  "echo \"var=$S2M_HARNESS_VAR\"; echo \"leak=${SPOTIFY2MQTT__LEAK:-none}\";"
                  " echo \"cwd=$(pwd -P)\""},
         .env = {{"S2M_HARNESS_VAR", "hello"}},
         .working_dir = work.path(),
         .log_file = dir / "child.log"});
    ::unsetenv("SPOTIFY2MQTT__LEAK");
    REQUIRE(child.wait_exit(10s) == 0);
    const std::string log = child.log();
    CHECK_THAT(log, Contains("var=hello"));
    CHECK_THAT(log, Contains("leak=none"));
    CHECK_THAT(log, Contains("cwd=" + std::filesystem::canonical(work.path()).string()));
}

TEST_CASE("Process terminate_and_wait lets the child handle SIGTERM", "[harness]") {
    TempDir dir;
    Process child({.argv = {"/bin/sh", "-c",
                            "trap 'echo got-term; exit 7' TERM; echo ready-$((1+1));"
                            " while :; do sleep 0.05; done"},
                   .log_file = dir / "child.log"});
    REQUIRE(wait_log_contains(child, "ready-2"));
    CHECK(child.running());
    CHECK(child.terminate_and_wait(5s) == 7);
    CHECK_THAT(child.log(), Contains("got-term"));
}

TEST_CASE("Process terminate_and_wait escalates to SIGKILL", "[harness]") {
    TempDir dir;
    Process child({.argv = {"/bin/sh", "-c",
                            "trap '' TERM; echo ready-$((1+1)); while :; do sleep 0.05; done"},
                   .log_file = dir / "child.log"});
    REQUIRE(wait_log_contains(child, "ready-2"));
    const auto started = std::chrono::steady_clock::now();
    CHECK(child.terminate_and_wait(300ms) == 128 + SIGKILL);
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    CHECK_FALSE(child.running());
}

TEST_CASE("Process wait_exit times out and signal and kill_hard end the child", "[harness]") {
    TempDir dir;
    Process first({.argv = {"/bin/sh", "-c", "exec sleep 30"}, .log_file = dir / "first.log"});
    CHECK_FALSE(first.wait_exit(100ms).has_value());
    CHECK(first.running());
    first.signal(SIGINT);
    CHECK(first.wait_exit(5s) == 128 + SIGINT);

    Process second({.argv = {"sleep", "30"}, .log_file = dir / "second.log"});  // found in PATH
    second.kill_hard();
    CHECK(second.exit_code() == 128 + SIGKILL);
    second.signal(SIGTERM);  // after reaping: must not signal a recycled pid, and not throw
}

TEST_CASE("Process destructor kills the child and everything it started", "[harness]") {
    TempDir dir;
    pid_t child_pid = 0;
    const auto grandchild_file = dir / "grandchild.pid";
    {
        Process child({.argv = {"/bin/sh", "-c",
                                "sleep 30 & echo $! > " + grandchild_file.string() + "; wait"},
                       .log_file = dir / "child.log"});
        child_pid = child.pid();
        REQUIRE(eventually([&] { return !read_file(grandchild_file).empty(); }, 10s));
    }
    const pid_t grandchild_pid = std::stoi(read_file(grandchild_file));
    CHECK(process_gone(child_pid));
    CHECK(eventually([&] { return process_gone(grandchild_pid); }, 5s));
}

TEST_CASE("Process throws when the program cannot be started", "[harness]") {
    TempDir dir;
    CHECK_THROWS_WITH(Process({.argv = {"/nonexistent/program"}, .log_file = dir / "a.log"}),
                      Contains("cannot start /nonexistent/program"));
    CHECK_THROWS_WITH(Process({.argv = {"s2m-no-such-program"}, .log_file = dir / "b.log"}),
                      Contains("not found"));
    CHECK_THROWS(Process(
        {.argv = {"/bin/true"}, .working_dir = dir / "missing", .log_file = dir / "c.log"}));
}

TEST_CASE("eventually asks until the condition holds and gives up after its timeout", "[harness]") {
    int asked = 0;
    CHECK(eventually([&] { return ++asked == 3; }, 10s, 1ms));
    CHECK(asked == 3);
    asked = 0;
    const auto started = std::chrono::steady_clock::now();
    CHECK_FALSE(eventually([&] { return ++asked < 0; }, 100ms, 10ms));
    CHECK(std::chrono::steady_clock::now() - started >= 100ms);
    CHECK(asked >= 2);  // at once and at the deadline at least
}

TEST_CASE("free_tcp_port gives a closed port and wait_port_open times out on it", "[harness]") {
    const int port = free_tcp_port();
    CHECK(port > 0);
    CHECK(port <= 65535);
    CHECK_FALSE(port_open(port));
    CHECK_FALSE(wait_port_open(port, 100ms));
}

TEST_CASE("topic_matches follows MQTT filter rules", "[harness]") {
    CHECK(topic_matches("a/b", "a/b"));
    CHECK_FALSE(topic_matches("a/b", "a/b/c"));
    CHECK_FALSE(topic_matches("a/b/c", "a/b"));
    CHECK(topic_matches("a/+/c", "a/b/c"));
    CHECK_FALSE(topic_matches("a/+", "a/b/c"));
    CHECK(topic_matches("a/#", "a"));
    CHECK(topic_matches("a/#", "a/b/c"));
    CHECK(topic_matches("#", "a/b"));
    CHECK_FALSE(topic_matches("a/#", "ab"));
    CHECK(topic_matches("spotify2mqtt/+/availability", "spotify2mqtt/alice/availability"));
}

TEST_CASE("Mosquitto starts and a probe receives its own retained message", "[harness]") {
    Mosquitto broker;
    CHECK(broker.running());
    CHECK(port_open(broker.port()));
    CHECK(broker.url() == "mqtt://127.0.0.1:" + std::to_string(broker.port()));

    MqttProbe probe(broker.url(), {.subscriptions = {"harness/#"}});
    REQUIRE(probe.connected());
    probe.publish("harness/retained", "hello", 1, true);
    probe.publish("harness/live", "not kept", 0, false);

    auto retained = probe.wait_for("harness/retained");
    REQUIRE(retained);
    CHECK(retained->payload == "hello");
    CHECK(retained->retained);
    CHECK(retained->qos == 1);
    auto live = probe.wait_for("harness/live");
    REQUIRE(live);
    CHECK_FALSE(live->retained);
    CHECK(live->qos == 0);

    // A later subscriber gets the broker's retained copy, and nothing of the live message.
    MqttProbe late(broker.url(), {.subscriptions = {"harness/+"}});
    auto replay = late.wait_for("harness/retained");
    REQUIRE(replay);
    CHECK(replay->payload == "hello");
    CHECK(replay->retained);
    CHECK_FALSE(late.wait_for("harness/live", nullptr, 300ms));
}

TEST_CASE("MqttProbe waits with predicates and forgets on clear", "[harness]") {
    Mosquitto broker;
    MqttProbe probe(broker.url(), {.subscriptions = {"harness/#"}});
    MqttProbe publisher(broker.url());

    publisher.publish("harness/json", R"({"n":1})");
    publisher.publish("harness/json", "not json");
    publisher.publish("harness/json", R"({"n":2})");
    auto second = probe.wait_for_json("harness/json", [](const auto& j) { return j["n"] == 2; });
    REQUIRE(second);
    CHECK(second->json()["n"] == 2);
    CHECK(probe.messages("harness/json").size() == 3);
    CHECK(probe.last("harness/#")->payload == R"({"n":2})");

    const auto started = std::chrono::steady_clock::now();
    CHECK_FALSE(probe.wait_for(
        "harness/json", [](const auto& p) { return p == "x"; }, 200ms));
    CHECK(std::chrono::steady_clock::now() - started >= 200ms);

    probe.clear();
    CHECK(probe.messages().empty());
    CHECK_FALSE(probe.last("harness/json"));

    // A message published while wait_for blocks wakes it up.
    std::thread later([&] {
        std::this_thread::sleep_for(100ms);
        publisher.publish("harness/later", "woken");
    });
    auto woken = probe.wait_for("harness/later", nullptr, 10s);
    later.join();
    REQUIRE(woken);
    CHECK(woken->payload == "woken");
}

TEST_CASE("Mosquitto restart keeps a persistent session's queued QoS 1 message", "[harness]") {
    Mosquitto broker({.persistence = true});
    const int port = broker.port();
    MqttProbe subscriber(broker.url(),
                         {.client_id = "s2m-harness-persistent", .clean_session = false});
    subscriber.subscribe("harness/queued", 1);
    subscriber.disconnect();
    {
        MqttProbe publisher(broker.url());
        publisher.publish("harness/queued", "sent while away", 1, false);
    }

    broker.restart();
    CHECK(broker.port() == port);
    subscriber.connect();
    CHECK(subscriber.session_present());
    auto queued = subscriber.wait_for("harness/queued", nullptr, 10s);
    REQUIRE(queued);
    CHECK(queued->payload == "sent while away");
    CHECK(queued->qos == 1);
    CHECK_FALSE(queued->retained);
}

TEST_CASE("Mosquitto without persistence forgets sessions on restart", "[harness]") {
    Mosquitto broker;
    MqttProbe subscriber(broker.url(),
                         {.client_id = "s2m-harness-volatile", .clean_session = false});
    subscriber.subscribe("harness/queued", 1);
    subscriber.disconnect();
    MqttProbe(broker.url()).publish("harness/queued", "lost", 1, false);

    broker.restart();
    subscriber.connect();
    CHECK_FALSE(subscriber.session_present());
    CHECK_FALSE(subscriber.wait_for("harness/queued", nullptr, 500ms));
}

TEST_CASE("Mosquitto kill_hard drops clients and start brings it back", "[harness]") {
    Mosquitto broker;
    MqttProbe probe(broker.url(), {.subscriptions = {"harness/#"}, .auto_reconnect = true});
    broker.kill_hard();
    CHECK_FALSE(broker.running());
    CHECK_FALSE(port_open(broker.port()));
    CHECK(eventually([&] { return !probe.connected(); }, 10s));

    broker.start();
    REQUIRE(broker.running());
    // The probe reconnects and re-subscribes by itself; publish until it has caught up.
    MqttProbe publisher(broker.url());
    std::optional<MqttMessage> received;
    for (int attempt = 0; attempt < 50 && !received; ++attempt) {
        publisher.publish("harness/after-crash", "back");
        received = probe.wait_for("harness/after-crash", nullptr, 200ms);
    }
    REQUIRE(received);
    CHECK(probe.connected());
    CHECK_THAT(broker.log(), Contains("=== spawn"));
}

TEST_CASE("FakeSpotifyProcess starts the fake server on a free port", "[harness]") {
    FakeSpotifyProcess fake;
    CHECK(fake.port() > 0);
    CHECK(port_open(fake.port()));
    CHECK(fake.api_url() == fake.base_url() + "/v1");
    CHECK(fake.accounts_url() == fake.base_url());
    fake.stop();
    CHECK_FALSE(fake.process().running());
}

TEST_CASE("a fault on an exact path is listed with it, and path excludes path_prefix",
          "[harness]") {
    FakeSpotifyProcess fake;
    FakeSpotifyClient client(fake.base_url());
    client.add_fault({{"path", "/v1/me/player"}, {"method", "GET"}, {"status", 503}});
    auto listed = client.faults();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["path"] == "/v1/me/player");
    CHECK_THROWS_WITH(
        client.add_fault({{"path", "/v1/me/player"}, {"path_prefix", "/v1"}, {"status", 503}}),
        Catch::Contains("path or path_prefix"));
}
