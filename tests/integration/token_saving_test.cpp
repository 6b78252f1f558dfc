// A token store that refuses writes (issue 19, item 5): the state directory made immutable (or
// the disk full) while Spotify rotates the refresh token. The bridge must say so at once on every
// channel, keep working with the newest token in memory, retry the write, and lose nothing.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <httplib.h>

#include "BridgeWorld.h"
#include "support/Wait.h"

using namespace s2m::test;

namespace {

// Makes `dir` refuse new files, root included, while it lives: the immutable flag where the
// file system has one (ext4, xfs, btrfs); elsewhere a directory squatting on the name of the
// store's temporary file, which no open(O_CREAT) can turn into a file.
class UnwritableDir {
  public:
    UnwritableDir(std::filesystem::path dir, const std::string& squat_name) : dir_(std::move(dir)) {
        std::string command = "chattr +i '" + dir_.string() + "' 2>/dev/null";
        immutable_ = std::system(command.c_str()) == 0;
        if (!immutable_) {
            squat_ = dir_ / squat_name;
            std::filesystem::create_directory(squat_);
        }
    }
    ~UnwritableDir() { release(); }
    void release() {
        if (immutable_) {
            std::string command = "chattr -i '" + dir_.string() + "'";
            immutable_ = std::system(command.c_str()) != 0;
        }
        if (!squat_.empty()) {
            std::filesystem::remove(squat_);
            squat_.clear();
        }
    }

  private:
    std::filesystem::path dir_;
    std::filesystem::path squat_;
    bool immutable_ = false;
};

bool is_playing_now(const Json& s) {
    return s["state"] == "playing";
}

std::string saved_refresh_token(const std::filesystem::path& file) {
    Json stored = Json::parse(std::ifstream(file), nullptr, false);
    return stored.is_object() ? stored.value("refresh_token", std::string()) : std::string();
}

// Kills the access token and asks for a read: the bridge refreshes, and the fake rotates.
std::string rotate_by_refresh(BridgeWorld& world, const std::string& user) {
    std::string before = world.fake.refresh_token(user);
    world.fake.expire_access_tokens(user);
    world.probe.publish("spotify2mqtt/" + user + "/get", "", 1);
    std::string now = before;
    eventually([&] {
        now = world.fake.refresh_token(user);
        return now != before;
    });
    return now == before ? "" : now;
}

}  // namespace

TEST_CASE("a rotated token that cannot be saved is announced, kept, retried and then saved",
          "[token][store]") {
    BridgeWorld world;
    Json user = short_playlist_user("yuki", 120000);
    user["rotate_refresh_tokens"] = true;
    world.fake.create_user(user);
    auto& bridge = world.start_bridge(BridgeWorld::accounts({"yuki"}), /*web=*/true);
    httplib::Client web(bridge.web_url());
    REQUIRE(world.wait_state("yuki", is_playing_now));
    auto accounts_dir = bridge.state_dir() / "accounts";
    auto file = accounts_dir / "yuki.json";
    INFO(bridge.log());

    UnwritableDir blocked(accounts_dir, "yuki.json.tmp");
    world.probe.clear();
    std::string rotated = rotate_by_refresh(world, "yuki");
    REQUIRE(!rotated.empty());

    // At once, everywhere a person or Home Assistant looks:
    auto event = world.probe.wait_for_json(
        "spotify2mqtt/bridge/event",
        [](const Json& e) { return e["type"] == "token_not_saved" && e["account"] == "yuki"; },
        10s);
    REQUIRE(event);
    std::string message = event->json()["message"];
    CHECK(message.find("cannot be saved") != std::string::npos);
    CHECK(message.find(bridge.state_dir().string()) != std::string::npos);  // what to fix
    CHECK(message.find(rotated) == std::string::npos);                      // never the token
    auto availability = world.probe.wait_for_json(
        "spotify2mqtt/yuki/availability",
        [](const Json& a) { return a.value("reason", "") == "token_not_saved"; }, 5s);
    REQUIRE(availability);
    CHECK(availability->json()["state"] == "online");  // it still works: entities stay usable
    CHECK(availability->retained);
    auto diagnostics =
        world.probe.wait_for_json("spotify2mqtt/yuki/diagnostics", [](const Json& d) {
            return d["last_error"].is_string() &&
                   d["last_error"].get<std::string>().find("cannot be saved") != std::string::npos;
        });
    CHECK(diagnostics);
    CHECK(world.probe.wait_for_json("spotify2mqtt/bridge/info", [](const Json& info) {
        return info["accounts"][0]["status"] == "token_not_saved";
    }));
    CHECK(bridge.log().find("cannot be saved") != std::string::npos);
    auto metrics = web.Get("/metrics");
    REQUIRE(metrics);
    std::string counter = "\nspotify2mqtt_token_store_failures_total ";
    size_t at = metrics->body.find(counter);
    REQUIRE(at != std::string::npos);
    CHECK(std::stod(metrics->body.substr(at + counter.size())) >= 1);
    CHECK(metrics->body.find("spotify2mqtt_accounts{status=\"token_not_saved\"} 1") !=
          std::string::npos);
    CHECK(saved_refresh_token(file) != rotated);  // the file really holds the old one
    // /healthz stays 200 (a restart would lose the token) but names the problem.
    auto health = web.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK(health->body.find("warning: ") != std::string::npos);
    CHECK(health->body.find("yuki") != std::string::npos);

    // The newest token lives on in memory: another rotation still works.
    std::string rotated_again = rotate_by_refresh(world, "yuki");
    REQUIRE(!rotated_again.empty());
    world.fake.set_playback("yuki", {{"volume", 37}});
    world.probe.publish("spotify2mqtt/yuki/get", "", 1);
    CHECK(world.wait_state("yuki", [](const Json& s) { return s["volume"] == 37; }));

    // Fixed: the retry saves the newest token and the warning goes away.
    blocked.release();
    CHECK(eventually([&] { return saved_refresh_token(file) == rotated_again; }, 15s));
    CHECK(world.probe.wait_for_json(
        "spotify2mqtt/bridge/event", [](const Json& e) { return e["type"] == "token_saved"; },
        10s));
    CHECK(world.probe.wait_for_json(
        "spotify2mqtt/yuki/availability",
        [](const Json& a) { return a["state"] == "online" && !a.contains("reason"); }, 5s));

    // And a restart finds a working link.
    REQUIRE(bridge.process().terminate_and_wait(10s) == 0);
    world.fake.expire_access_tokens("yuki");
    world.probe.clear();
    bridge.start();
    CHECK(world.wait_state("yuki", is_playing_now, 10s));
    CHECK(world.probe.wait_for_json(
        "spotify2mqtt/yuki/availability", [](const Json& a) { return a["state"] == "online"; },
        10s));
    CHECK(world.probe.messages("spotify2mqtt/bridge/event").empty());  // no reauth_required
}
