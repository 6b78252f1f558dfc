// Attacks on the account page's server from the network, with raw sockets: slow clients, header
// floods, idle connections against a low file limit, and a callback path full of regex characters.
// The page must keep /healthz answering and the bridge's memory and file descriptors bounded.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <thread>

#include "BridgeWorld.h"
#include "support/Ports.h"
#include "support/TempDir.h"

using namespace s2m::test;

namespace {

using Clock = std::chrono::steady_clock;

// A TCP connection to the page from a chosen loopback source address: the page caps connections
// per client address, and all of 127.0.0.0/8 is this host.
class RawClient {
  public:
    RawClient(int port, const std::string& source) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval timeout{2, 0};  // connect() and send() give up instead of hanging the test
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        sockaddr_in from{};
        from.sin_family = AF_INET;
        ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(static_cast<uint16_t>(port));
        ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
        connected_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) == 0 &&
                     ::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0;
    }
    ~RawClient() { ::close(fd_); }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    bool connected() const { return connected_; }

    // False once the server has closed the connection (or the send timed out).
    bool send_all(std::string_view data) {
        while (!data.empty()) {
            ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (sent <= 0) return false;
            data.remove_prefix(static_cast<size_t>(sent));
        }
        return true;
    }

    // Reads (and keeps) what the server sends until it closes the connection; true if it did
    // within `timeout`.
    bool wait_closed(std::chrono::milliseconds timeout) {
        auto until = Clock::now() + timeout;
        while (Clock::now() < until) {
            pollfd waiting{fd_, POLLIN, 0};
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
            if (::poll(&waiting, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) <= 0)
                continue;
            char buffer[4096];
            ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
            if (got <= 0) return true;
            received_.append(buffer, static_cast<size_t>(got));
        }
        return false;
    }

    const std::string& received() const { return received_; }

  private:
    int fd_ = -1;
    bool connected_ = false;
    std::string received_;
};

std::string loopback(int n) {
    return "127.0.0." + std::to_string(n);
}

long vm_rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
}

struct WebWorld : BridgeWorld {
    explicit WebWorld(std::vector<std::string> wrapper = {}, Json overrides = Json::object()) {
        fake.create_user(short_playlist_user("ida", 120000));
        Json config = BridgeWorld::accounts({"ida"});
        config.merge_patch(overrides);
        BridgeOptions options = bridge_options(config);
        options.web = true;
        options.wrapper = std::move(wrapper);
        bridge = std::make_unique<BridgeUnderTest>(options);
    }

    int port() const { return bridge->web_port(); }

    // GET /healthz on a new connection from 127.0.0.1, as `spotify2mqtt healthcheck` does; the
    // status (0: no answer) and how long it took.
    std::pair<int, std::chrono::milliseconds> healthz() {
        httplib::Client client(bridge->web_url());
        client.set_connection_timeout(5, 0);
        client.set_read_timeout(5, 0);
        auto started = Clock::now();
        auto res = client.Get("/healthz");
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
        return {res ? res->status : 0, took};
    }

    bool wait_healthy() {
        for (int i = 0; i < 100; ++i) {
            if (healthz().first == 200) return true;
            std::this_thread::sleep_for(100ms);
        }
        return false;
    }
};

}  // namespace

TEST_CASE("slow clients neither hold /healthz nor keep a connection past the request deadline",
          "[web_hardening]") {
    WebWorld world;
    REQUIRE(world.wait_healthy());
    // The attack (4 connections from the prober's own address, one header line every
    // 4 s) and as many again from each of four more addresses.
    std::vector<std::unique_ptr<RawClient>> slow;
    for (int source = 1; source <= 5; ++source) {
        for (int i = 0; i < 4; ++i) {
            slow.push_back(std::make_unique<RawClient>(world.port(), loopback(source)));
            REQUIRE(slow.back()->connected());
            slow.back()->send_all("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        }
    }
    auto started = Clock::now();
    std::atomic<bool> stop{false};
    std::thread feeder([&] {
        while (!stop) {
            for (auto& client : slow) client->send_all("X-Slow: 1\r\n");
            for (int i = 0; i < 40 && !stop; ++i) std::this_thread::sleep_for(100ms);
        }
    });
    std::vector<long> latencies;
    int failures = 0;
    while (Clock::now() - started < 14s) {
        auto [status, took] = world.healthz();
        latencies.push_back(took.count());
        if (status != 200) ++failures;
        std::this_thread::sleep_for(500ms);
    }
    stop = true;
    feeder.join();
    std::sort(latencies.begin(), latencies.end());
    std::printf(
        "/healthz under %zu slow clients: %zu probes, %d failed, median %ld ms, max %ld ms\n",
        slow.size(), latencies.size(), failures, latencies[latencies.size() / 2], latencies.back());
    CHECK(failures == 0);
    CHECK(latencies.back() < 1000);
    // A whole request must arrive within 10 s of its start (adapters/web/ConnectionWatch): by now
    // every slow one was cut off.
    int still_open = 0;
    for (auto& client : slow) still_open += client->wait_closed(100ms) ? 0 : 1;
    CHECK(still_open == 0);
}

TEST_CASE("a flood of request headers does not grow the bridge's memory", "[web_hardening]") {
    WebWorld world;
    REQUIRE(world.wait_healthy());
    pid_t pid = world.bridge->process().pid();
    long before = vm_rss_kib(pid);
    // Three connections, each with 10,000 headers of 7 KB (70 MB): the attack.
    std::atomic<int> flooding{3};
    std::vector<std::thread> flooders;
    std::vector<std::string> answers(3);
    for (int n = 0; n < 3; ++n) {
        flooders.emplace_back([&, n] {
            RawClient client(world.port(), "127.0.0.1");
            std::string header(7000, 'a');
            bool open = client.send_all("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (int i = 0; i < 10000 && open; ++i)
                open = client.send_all("X-Flood-" + std::to_string(i) + ": " + header + "\r\n");
            if (open) client.send_all("\r\n");
            client.wait_closed(10s);
            answers[n] = client.received().substr(0, client.received().find("\r\n"));
            --flooding;
        });
    }
    long peak = before;
    while (flooding > 0) {
        peak = std::max(peak, vm_rss_kib(pid));
        std::this_thread::sleep_for(50ms);
    }
    for (auto& flooder : flooders) flooder.join();
    long after = vm_rss_kib(pid);
    std::printf("VmRSS around the header flood: before %ld KiB, peak %ld KiB, after %ld KiB\n",
                before, peak, after);
    for (const auto& answer : answers) INFO(answer);
    CHECK(peak - before < 8 * 1024);
    CHECK(after - before < 8 * 1024);
    CHECK(world.healthz().first == 200);
}

TEST_CASE("idle page connections cannot use up the bridge's file descriptors", "[web_hardening]") {
    // The setting: `ulimit -n 200` and 198 idle connections (from many addresses, so
    // the per-client cap alone cannot be what saves it).
    WebWorld world({"prlimit", "--nofile=200:200"});
    REQUIRE(world.wait_state("ida", [](const Json& s) { return s["state"] == "playing"; }));
    CHECK_THAT(world.bridge_log(), Catch::Contains("open files: 200"));
    // Connections beyond the page's cap wait in the kernel's queue (no descriptor of ours) or
    // are refused; either is fine here.
    std::vector<std::unique_ptr<RawClient>> idle;
    for (int i = 0; i < 198; ++i)
        idle.push_back(std::make_unique<RawClient>(world.port(), loopback(2 + i / 6)));
    std::this_thread::sleep_for(1s);  // for the server to take what it accepts
    // Commands a few seconds apart: the fake closes connections idle for 5 s, so the bridge's
    // workers must open new ones to Spotify while the idle clients stay connected.
    for (int volume : {40, 45, 50}) {
        world.probe.clear();
        world.probe.publish("spotify2mqtt/ida/set", "{\"volume\":" + std::to_string(volume) + "}",
                            1);
        auto response = world.probe.wait_for("spotify2mqtt/ida/response", nullptr, 15s);
        REQUIRE(response);
        INFO(response->payload << "\n" << world.bridge_log());
        CHECK(response->json()["status"] == "ok");
        std::this_thread::sleep_for(3s);
    }
    INFO(world.bridge_log());
    CHECK(world.healthz().first == 200);
}

TEST_CASE("the callback path is matched literally, regex characters and all", "[web_hardening]") {
    SECTION("`/cb(` is served, not a crash") {
        WebWorld world({}, {{"spotify", {{"redirect_uri", "http://127.0.0.1:18885/cb("}}}});
        REQUIRE(world.wait_healthy());
        httplib::Client client(world.bridge->web_url());
        auto res = client.Get("/cb(?state=unknown&code=c");
        REQUIRE(res);
        CHECK(res->status == 400);  // the callback's own answer: no such link under way
        CHECK_THAT(res->body, Catch::Contains("Linking failed"));
        CHECK(world.bridge->process().running());
    }
    SECTION("`/call.back` does not answer `/callXback`") {
        WebWorld world({}, {{"spotify", {{"redirect_uri", "http://127.0.0.1:18885/call.back"}}}});
        REQUIRE(world.wait_healthy());
        httplib::Client client(world.bridge->web_url());
        auto lookalike = client.Get("/callXback?state=unknown&code=c");
        REQUIRE(lookalike);
        CHECK(lookalike->status == 404);
        auto real = client.Get("/call.back?state=unknown&code=c");
        REQUIRE(real);
        CHECK(real->status == 400);
    }
}

TEST_CASE("`spotify2mqtt link` serves a callback path with regex characters literally",
          "[web_hardening]") {
    WebWorld world;
    int port = free_tcp_port();
    Json config = world.bridge->config();
    config["web"]["listen"] = nullptr;
    config["spotify"]["redirect_uri"] = "http://127.0.0.1:" + std::to_string(port) + "/cb(";
    TempDir dir("s2m-link-regex");
    std::ofstream(dir / "link.json") << config.dump(2);
    ProcessOptions options;
    options.argv = {bridge_binary().string(),    "link", "--account", "gus", "--config",
                    (dir / "link.json").string()};
    options.log_file = dir / "link.log";
    Process cli(options);
    REQUIRE(wait_port_open(port, 10s));
    httplib::Client callback("http://127.0.0.1:" + std::to_string(port));
    auto lookalike = callback.Get("/cb?state=unknown&code=c");
    REQUIRE(lookalike);
    CHECK(lookalike->status == 404);
    INFO(cli.log());
    CHECK(cli.running());
}
