// /metrics and /healthz the way Prometheus and a container health check use them.
#include <httplib.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <thread>
#include <tuple>

#include "BridgeWorld.h"

using namespace s2m::test;

namespace {

struct ObservedWorld : BridgeWorld {
    std::unique_ptr<httplib::Client> web;

    ObservedWorld() {
        fake.create_user(short_playlist_user("olga", 120000));
        start_bridge(BridgeWorld::accounts({"olga"}), /*web=*/true);
        web = std::make_unique<httplib::Client>(bridge->web_url());
    }

    std::string metrics() {
        auto res = web->Get("/metrics");
        REQUIRE(res);
        REQUIRE(res->status == 200);
        CHECK_THAT(res->get_header_value("Content-Type"), Catch::StartsWith("text/plain"));
        return res->body;
    }

    int healthz() {
        auto res = web->Get("/healthz");
        return res ? res->status : 0;
    }

    // The first /metrics page that satisfies `settled` (or the last one read, after `timeout`).
    // The loop updates a gauge or counter after the MQTT message a test waits for, and /metrics is
    // answered on another thread, so a page read once may predate it.
    std::string wait_metrics(const std::function<bool(const std::string&)>& settled,
                             std::chrono::milliseconds timeout = 10s) {
        std::string text;
        eventually([&] { return settled(text = metrics()); }, timeout, 100ms);
        return text;
    }
};

// The value of the first sample whose line starts with `series` (name and labels as rendered).
std::optional<double> sample(const std::string& text, const std::string& series) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
    }
    return std::nullopt;
}

const std::string kOnline = R"(spotify2mqtt_accounts{status="online"})";
const std::string kUnreachable = R"(spotify2mqtt_accounts{status="api_unreachable"})";
const std::string kPlayer503 =
    R"(spotify2mqtt_api_requests_total{endpoint="/me/player",method="GET",status="503"})";
const std::string kVolume204 =
    R"(spotify2mqtt_api_requests_total{endpoint="/me/player/volume",method="PUT",status="204"})";
const std::string kCommandsOk = R"(spotify2mqtt_commands_total{result="ok"})";

}  // namespace

TEST_CASE("/metrics counts Spotify calls, polls, commands and publishes", "[observability]") {
    ObservedWorld world;
    REQUIRE(world.wait_state("olga", [](const Json& s) { return s["state"] == "playing"; }));
    // The account turns online just after its first state is published.
    std::string first =
        world.wait_metrics([](const std::string& m) { return sample(m, kOnline) == 1; });
    INFO(first);
    const std::string player_ok =
        R"(spotify2mqtt_api_requests_total{endpoint="/me/player",method="GET",status="200"})";
    REQUIRE(sample(first, player_ok));
    CHECK(*sample(first, player_ok) >= 1);
    CHECK(sample(
        first,
        R"(spotify2mqtt_api_requests_total{endpoint="/api/token",method="POST",status="200"})"));
    CHECK(sample(first, "spotify2mqtt_polls_total") >= 1);
    CHECK(sample(first, "spotify2mqtt_mqtt_connected") == 1);
    CHECK(sample(first, "spotify2mqtt_mqtt_connects_total") == 1);
    CHECK(sample(first, kOnline) == 1);
    CHECK(sample(first, "spotify2mqtt_mqtt_publishes_total") > 5);
    CHECK(sample(first, "process_resident_memory_bytes") > 1e6);
    CHECK(sample(first, "process_threads") >= 3);
    // Every sample line is "name{labels} value" and every family has HELP and TYPE.
    std::regex line_shape(
        R"(^(# (HELP|TYPE) \S+ .+|[a-z_][a-z0-9_]*(\{[^}]*\})? ([-+0-9.eE]+|NaN))$)");
    std::istringstream lines(first);
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        CHECK(std::regex_match(line, line_shape));
    }

    // Failing answers (the read and its two retries) and a command show up by status and result.
    world.fake.add_fault(
        {{"path", "/v1/me/player"}, {"method", "GET"}, {"status", 503}, {"count", 3}});
    world.probe.publish("spotify2mqtt/olga/get", "", 1);
    REQUIRE(world.probe.wait_for_json("spotify2mqtt/olga/availability",
                                      [](const Json& a) { return a["state"] == "offline"; }));
    // Keep it offline (with another status, so the 503s stay three): otherwise the next poll,
    // a few seconds on, brings it back before a slow run has read the gauge.
    world.fake.add_fault(
        {{"path_prefix", "/v1/me/player"}, {"method", "GET"}, {"status", 502}, {"count", -1}});
    std::string second = world.wait_metrics([](const std::string& m) {
        return sample(m, kUnreachable) == 1 && sample(m, kOnline) == 0;
    });
    INFO(second);
    CHECK(sample(second, kPlayer503) == 3);
    CHECK(sample(second, kUnreachable) == 1);
    world.probe.publish("spotify2mqtt/olga/set/volume", "30", 1);
    REQUIRE(world.probe.wait_for("spotify2mqtt/olga/response", nullptr, 10s));
    std::string third = world.wait_metrics([](const std::string& m) {
        return sample(m, kVolume204) >= 1 && sample(m, kCommandsOk) >= 1;
    });
    INFO(third);
    CHECK(sample(third, kVolume204) == 1);
    CHECK(sample(third, kCommandsOk) == 1);
    CHECK(sample(third, kPlayer503) == 3);
}

TEST_CASE("/healthz follows the broker connection", "[observability]") {
    ObservedWorld world;
    REQUIRE(world.wait_state("olga", [](const Json& s) { return s["state"] == "playing"; }));
    CHECK(eventually([&] { return world.healthz() == 200; }));
    world.broker.stop();
    CHECK(eventually([&] { return world.healthz() == 503; }, 15s, 100ms));
    world.broker.start();
    bool healthy = eventually([&] { return world.healthz() == 200; }, 30s, 100ms);
    INFO(world.bridge_log());
    CHECK(healthy);
    CHECK(sample(world.metrics(), "spotify2mqtt_mqtt_connection_losses_total") == 1);
}

TEST_CASE("logs: timestamps on a terminal, syslog priorities for journald, at log_level",
          "[observability]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("olga", 120000));
    // zoe is configured but not linked: a warning at start.
    Json accounts = BridgeWorld::accounts({"olga"})["accounts"];
    accounts.push_back({{"name", "zoe"}});
    auto options_for = [&](const std::string& level, bool journal) {
        BridgeOptions options =
            world.bridge_options({{"accounts", accounts}, {"log_level", level}});
        if (journal) options.env["JOURNAL_STREAM"] = "8:12345";  // as systemd sets it
        return options;
    };
    auto lines_of = [](const std::string& log) {
        std::vector<std::string> lines;
        std::istringstream in(log);
        for (std::string line; std::getline(in, line);)
            if (!line.empty() && !line.starts_with("=== spawn:")) lines.push_back(line);  // harness
        return lines;
    };

    {
        BridgeUnderTest bridge(options_for("debug", false));
        REQUIRE(world.wait_state("olga", [](const Json& s) { return s["state"] == "playing"; }));
        auto lines = lines_of(bridge.log());
        INFO(bridge.log());
        REQUIRE(lines.size() >= 3);
        const std::regex stamped(
            R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (trace|debug|info |warning|error) .*)");
        for (const auto& line : lines) CHECK(std::regex_match(line, stamped));
        CHECK(bridge.log().find(" debug ") != std::string::npos);  // the level lets debug through
        REQUIRE(bridge.process().terminate_and_wait() == 0);
    }
    {
        BridgeUnderTest bridge(options_for("warning", true));
        REQUIRE(world.wait_state("olga", [](const Json& s) { return s["state"] == "playing"; }));
        std::this_thread::sleep_for(500ms);
        auto lines = lines_of(bridge.log());
        INFO(bridge.log());
        REQUIRE_FALSE(lines.empty());
        // No timestamp (journald adds its own), a priority journald reads, nothing under warning.
        const std::regex journal(R"(^<[234]>(warning|error|critical): .*)");
        for (const auto& line : lines) CHECK(std::regex_match(line, journal));
        CHECK(bridge.log().find("<4>warning: zoe: not linked yet") != std::string::npos);
        REQUIRE(bridge.process().terminate_and_wait() == 0);
    }
}

namespace {

// `spotify2mqtt healthcheck` as a container's HEALTHCHECK runs it: same config, own process.
std::pair<int, std::string> run_healthcheck(const std::filesystem::path& config,
                                            const std::filesystem::path& log) {
    ProcessOptions options;
    options.argv = {bridge_binary().string(), "healthcheck", "--config", config.string()};
    options.log_file = log;
    Process process(options);
    auto code = process.wait_exit(15s);
    return {code.value_or(-1), process.log()};
}

}  // namespace

TEST_CASE("healthcheck command: 0 while on the broker, 1 without it or without a bridge",
          "[observability]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("olga", 120000));
    BridgeOptions options = world.bridge_options(BridgeWorld::accounts({"olga"}));
    options.web = true;
    options.web_host = "0.0.0.0";  // as the image configures it: asked on 127.0.0.1
    BridgeUnderTest bridge(options);
    TempDir dir("s2m-healthcheck");
    INFO(bridge.log());
    REQUIRE(world.probe.wait_for_json(
        "spotify2mqtt/bridge/state", [](const Json& s) { return s["state"] == "online"; }, 10s));

    auto [healthy, healthy_log] = run_healthcheck(bridge.config_path(), dir / "1.log");
    INFO(healthy_log);
    CHECK(healthy == 0);
    CHECK_THAT(healthy_log, Catch::Contains("healthy: http://127.0.0.1:" +
                                            std::to_string(bridge.web_port()) + "/healthz"));

    world.broker.stop();
    int code = 0;
    std::string log;
    for (int i = 0; i < 50 && code != 1; ++i) {
        std::this_thread::sleep_for(100ms);
        std::tie(code, log) = run_healthcheck(bridge.config_path(), dir / "2.log");
    }
    INFO(log);
    CHECK(code == 1);
    CHECK_THAT(log, Catch::Contains("answered 503"));

    bridge.process().terminate_and_wait();
    auto [gone, gone_log] = run_healthcheck(bridge.config_path(), dir / "3.log");
    INFO(gone_log);
    CHECK(gone == 1);
    CHECK_THAT(gone_log, Catch::Contains("no answer from"));

    std::ofstream(dir / "no-web.json") << R"({"web": {"listen": null}})";
    auto [off, off_log] = run_healthcheck(dir / "no-web.json", dir / "4.log");
    INFO(off_log);
    CHECK(off == 78);
    CHECK_THAT(off_log, Catch::Contains("web.listen is null"));
}
