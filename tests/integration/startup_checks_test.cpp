// What the bridge checks and says about its own files and its exit (issue 19, items 11 and 12):
// secrets others can read, token files others can read, a base topic the broker would refuse,
// and a stop that no signal asked for.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>

#include "BridgeWorld.h"

using namespace s2m::test;

namespace {

struct Ran {
    int code = -1;
    std::string output;
};

Ran run_bridge_command(const TempDir& dir, const std::string& command,
                       const std::filesystem::path& config) {
    static int runs = 0;  // each run its own log file: the process appends
    ProcessOptions options;
    options.argv = {bridge_binary().string(), command, "--config", config.string()};
    options.log_file = dir / (command + "-" + std::to_string(++runs) + ".log");
    Process process(options);
    auto code = process.wait_exit(15s);
    return Ran{code.value_or(-1), process.log()};
}

unsigned mode_of(const std::filesystem::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a config holding secrets that every user can read is named with its fix",
          "[startup][permissions]") {
    TempDir dir("s2m-perms");
    auto config = dir.write_file("config.json", R"({
        "spotify": {"client_id": "abc", "client_secret": "s3cret-value"},
        "accounts": [{"name": "amy", "refresh_token": "rt-amy-secret"}]
    })");
    ::chmod(config.c_str(), 0644);
    Ran checked = run_bridge_command(dir, "check-config", config);
    INFO(checked.output);
    CHECK(checked.code == 0);  // a warning, not a refusal: the bridge still runs
    CHECK(contains(checked.output, "warning"));
    CHECK(contains(checked.output, config.string()));
    CHECK(contains(checked.output, "chmod 600 " + config.string()));
    CHECK(contains(checked.output, "spotify.client_secret"));
    CHECK(contains(checked.output, "accounts[amy].refresh_token"));
    CHECK_FALSE(contains(checked.output, "s3cret-value"));
    CHECK_FALSE(contains(checked.output, "rt-amy-secret"));

    ::chmod(config.c_str(), 0600);
    Ran quiet = run_bridge_command(dir, "check-config", config);
    CHECK(quiet.code == 0);
    CHECK_FALSE(contains(quiet.output, "warning"));

    // Readable, but nothing secret in it: nothing to say.
    auto plain = dir.write_file("plain.json", R"({"spotify": {"client_id": "abc"}})");
    ::chmod(plain.c_str(), 0644);
    CHECK_FALSE(contains(run_bridge_command(dir, "check-config", plain).output, "warning"));
}

TEST_CASE("the running bridge logs the readable-secrets warning too", "[startup][permissions]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("abe", 120000));
    auto& bridge = world.start_bridge(BridgeWorld::accounts({"abe"}));
    REQUIRE(world.wait_state("abe", [](const Json& s) { return s["state"] == "playing"; }));
    ::chmod(bridge.config_path().c_str(), 0644);
    REQUIRE(bridge.process().terminate_and_wait(10s) == 0);
    world.probe.clear();
    bridge.start();
    REQUIRE(world.wait_state("abe", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(bridge.log());
    CHECK(contains(bridge.log(), "chmod 600 " + bridge.config_path().string()));
    CHECK_FALSE(contains(bridge.log(), "fake-client-secret"));
}

TEST_CASE("a token file or state directory open to others is restricted, with a log line",
          "[startup][permissions]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("bea", 120000));
    auto& bridge = world.start_bridge(BridgeWorld::accounts({"bea"}));
    REQUIRE(world.wait_state("bea", [](const Json& s) { return s["state"] == "playing"; }));
    REQUIRE(bridge.process().terminate_and_wait(10s) == 0);
    auto file = bridge.state_dir() / "accounts" / "bea.json";
    ::chmod(file.c_str(), 0644);  // e.g. restored from a backup
    ::chmod(bridge.state_dir().c_str(), 0755);
    world.probe.clear();
    bridge.start();
    REQUIRE(world.wait_state("bea", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(bridge.log());
    CHECK(mode_of(file) == 0600);
    CHECK(mode_of(bridge.state_dir()) == 0700);
    CHECK(contains(bridge.log(), file.string() + " was readable by other users (mode 0644)"));
    CHECK(contains(bridge.log(), bridge.state_dir().string() + " was open to other users"));
}

TEST_CASE("a bridge that stops on its own does not log a SIGTERM", "[startup]") {
    TempDir dir("s2m-exit73");
    auto not_a_dir = dir.write_file("state-is-a-file", "");
    auto config = dir.write_file(
        "config.json",
        Json{{"state_dir", not_a_dir.string()}, {"mqtt", {{"url", "mqtt://127.0.0.1:1"}}}}.dump());
    Ran ran = run_bridge_command(dir, "run", config);
    INFO(ran.output);
    CHECK(ran.code == 73);
    CHECK(contains(ran.output, "state_dir"));
    CHECK_FALSE(contains(ran.output, "SIGTERM"));
}

TEST_CASE("a real SIGTERM is still logged", "[startup]") {
    BridgeWorld world;
    auto& bridge = world.start_bridge();
    REQUIRE(world.probe.wait_for_json(
        "spotify2mqtt/bridge/state", [](const Json& s) { return s["state"] == "online"; }, 10s));
    CHECK(bridge.process().terminate_and_wait(10s) == 0);
    CHECK(contains(bridge.log(), "received SIGTERM"));
}

TEST_CASE("check-config refuses a base topic the broker would not let the bridge publish to",
          "[startup]") {
    TempDir dir("s2m-topic");
    for (const char* topic : {"$SYS/spotify", "$spotify", "spot/+/x", "spot//x"}) {
        INFO(topic);
        auto config = dir.write_file("config.json", Json{{"mqtt", {{"base_topic", topic}}}}.dump());
        Ran checked = run_bridge_command(dir, "check-config", config);
        INFO(checked.output);
        CHECK(checked.code == 78);
        CHECK(contains(checked.output, "mqtt.base_topic"));
    }
    auto config = dir.write_file("config.json", Json{{"mqtt", {{"base_topic", "$SYS/x"}}}}.dump());
    CHECK(contains(run_bridge_command(dir, "check-config", config).output,
                   "must not start with '$'"));
}
