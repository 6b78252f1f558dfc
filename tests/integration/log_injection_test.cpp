// Text from outside in the log and in retained topics (issue 19, item 8): an MQTT payload or a
// device name with a line break must not forge a log line, escape sequences and NULs must not
// reach the log raw, and a 200 KB error message from Spotify is quoted, not copied.
#include <catch2/catch.hpp>

#include <sstream>

#include "BridgeWorld.h"

using namespace s2m::test;

namespace {

std::vector<std::string> log_lines(const std::string& log) {
    std::vector<std::string> lines;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// Every line the bridge wrote: none starts with the forged text, none holds a raw control
// character, none is longer than a quoted excerpt allows.
void check_log_is_clean(const std::string& log, const std::string& forged) {
    for (const std::string& line : log_lines(log)) {
        if (line.starts_with("===")) continue;  // the harness's own marker lines
        INFO(line.substr(0, 300));
        CHECK_FALSE(line.starts_with(forged));
        CHECK(line.find('\x1b') == std::string::npos);
        CHECK(line.find('\0') == std::string::npos);
        CHECK(line.find('\r') == std::string::npos);
        CHECK(line.size() < 4096);
    }
}

}  // namespace

TEST_CASE("a payload or a device name cannot forge a log line or drive the terminal",
          "[logging][security]") {
    BridgeWorld world;
    Json user = short_playlist_user("zack", 120000);
    const std::string evil_device =
        std::string("Den\n2026-01-01 00:00:00.000 error FORGED by device\x1b[2J\x07", 56);
    user["devices"] = {{{"id", "den-1"}, {"name", evil_device}, {"type", "Speaker"}}};
    user["playback"]["device_id"] = "den-1";
    world.fake.create_user(user);
    world.start_bridge(BridgeWorld::accounts({"zack"}));
    REQUIRE(world.wait_state("zack", [](const Json& s) { return s["state"] == "playing"; }));

    std::string payload("not json\n2026-01-01 00:00:00.000 error FORGED by payload\x1b]0;x\x07 and",
                        67);
    payload += std::string("\0 a NUL", 7);
    world.probe.publish("spotify2mqtt/zack/set", payload, 1);
    auto response = world.probe.wait_for_json("spotify2mqtt/zack/response", nullptr, 10s);
    REQUIRE(response);
    CHECK(response->json()["status"] == "error");
    std::string log = world.bridge_log();
    INFO(log);
    REQUIRE(log.find("refused a command") != std::string::npos);
    CHECK(log.find("\\n2026-01-01") != std::string::npos);  // shown, escaped
    check_log_is_clean(log, "2026-01-01 00:00:00.000 error FORGED");
}

TEST_CASE("a huge error message from Spotify is quoted, not copied into topics and the log",
          "[logging][security]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("zoe", 120000));
    world.start_bridge(BridgeWorld::accounts({"zoe"}));
    REQUIRE(world.wait_state("zoe", [](const Json& s) { return s["state"] == "playing"; }));
    std::string huge = "Spotify says: " + std::string(200 * 1024, 'A') + "\nFORGED line";
    world.fake.add_fault({{"method", "GET"},
                          {"path_prefix", "/v1/me/player"},
                          {"status", 400},
                          {"body", {{"error", {{"status", 400}, {"message", huge}}}}},
                          {"count", -1}});
    world.probe.publish("spotify2mqtt/zoe/get", "", 1);
    auto availability = world.probe.wait_for_json(
        "spotify2mqtt/zoe/availability", [](const Json& a) { return a["state"] == "offline"; },
        10s);
    REQUIRE(availability);
    std::string shown = availability->json()["message"];
    CHECK(shown.find("Spotify says: AAAA") != std::string::npos);
    CHECK(shown.size() < 1024);
    CHECK(availability->payload.size() < 2048);
    auto diagnostics = world.probe.wait_for_json(
        "spotify2mqtt/zoe/diagnostics", [](const Json& d) { return d["last_error"].is_string(); });
    REQUIRE(diagnostics);
    CHECK(diagnostics->payload.size() < 2048);
    check_log_is_clean(world.bridge_log(), "FORGED");
}
