// Hostile or broken answers from the token endpoint (issue 19, items 6 and 9): an empty
// refresh_token must not replace the working one, a 400 invalid_request must ask for a new link,
// and an access_token carrying a line break must never reach a request header.
#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include "BridgeWorld.h"
#include "support/Wait.h"

using namespace s2m::test;

namespace {

bool account_is_online(const Json& a) {
    return a["state"] == "online";
}

std::string refresh_token_on_disk(const BridgeUnderTest& bridge, const std::string& name) {
    Json stored = Json::parse(std::ifstream(bridge.state_dir() / "accounts" / (name + ".json")),
                              nullptr, false);
    return stored.is_object() ? stored.value("refresh_token", std::string("(none)")) : "(none)";
}

// The fake's next token answer is `body`; the access token dies and a read is asked for, so
// the bridge refreshes at once and meets it.
void answer_next_refresh_with(BridgeWorld& world, const std::string& user, const Json& body) {
    world.fake.add_fault({{"method", "POST"},
                          {"path_prefix", "/api/token"},
                          {"status", 200},
                          {"body", body},
                          {"count", 1}});
    world.fake.expire_access_tokens(user);
    world.probe.clear();
    world.probe.publish("spotify2mqtt/" + user + "/get", "", 1);
}

}  // namespace

TEST_CASE("an empty refresh_token in a token answer is no rotation", "[token]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("tess", 120000));
    auto& bridge = world.start_bridge(BridgeWorld::accounts({"tess"}));
    REQUIRE(world.wait_state("tess", [](const Json& s) { return s["state"] == "playing"; }));

    int64_t since = world.fake.last_seq();
    answer_next_refresh_with(world, "tess",
                             {{"access_token", "not-a-live-token"},
                              {"token_type", "Bearer"},
                              {"expires_in", 3600},
                              {"refresh_token", ""}});
    // The bridge meets a 401 with the dead access token and refreshes once more with the
    // refresh token it had: that one still works.
    INFO(bridge.log());
    REQUIRE(world.probe.wait_for_json("spotify2mqtt/tess/availability", account_is_online, 15s));
    eventually([&] { return world.fake.requests_to("POST", "/api/token", since).size() >= 2; }, 5s,
               100ms);
    Json refreshes = world.fake.requests_to("POST", "/api/token", since);
    REQUIRE(refreshes.size() >= 2);
    for (const Json& r : refreshes) CHECK(r["status"] == 200);  // never a 400 for an empty token
    CHECK(refresh_token_on_disk(bridge, "tess") == "rt-tess");
    world.fake.set_playback("tess", {{"volume", 23}});  // and it keeps reading
    world.probe.publish("spotify2mqtt/tess/get", "", 1);
    CHECK(world.wait_state("tess", [](const Json& s) { return s["volume"] == 23; }));
}

TEST_CASE("an empty stored refresh token shows reauth_required, not api_unreachable", "[token]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("ugo", 120000));
    auto& bridge = world.start_bridge(BridgeWorld::accounts({"ugo"}));
    REQUIRE(world.wait_state("ugo", [](const Json& s) { return s["state"] == "playing"; }));
    REQUIRE(bridge.process().terminate_and_wait(10s) == 0);
    // What an earlier version stored after an answer with "refresh_token": "".
    auto file = bridge.state_dir() / "accounts" / "ugo.json";
    Json stored = Json::parse(std::ifstream(file));
    stored["refresh_token"] = "";
    stored["access_token"] = "";
    std::ofstream(file) << stored.dump(2);
    world.probe.clear();
    bridge.start();
    INFO(bridge.log());
    auto shown = world.probe.wait_for_json(
        "spotify2mqtt/ugo/availability", [](const Json& a) { return a["state"] == "offline"; },
        10s);
    REQUIRE(shown);
    CHECK(shown->json()["reason"] == "reauth_required");
    CHECK(world.probe.wait_for_json("spotify2mqtt/bridge/event", [](const Json& e) {
        return e["type"] == "reauth_required" && e["account"] == "ugo";
    }));
}

TEST_CASE("a 400 invalid_request from the token endpoint asks for a new link", "[token]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("vera", 120000));
    world.start_bridge(BridgeWorld::accounts({"vera"}));
    REQUIRE(world.wait_state("vera", [](const Json& s) { return s["state"] == "playing"; }));
    world.fake.add_fault(
        {{"method", "POST"},
         {"path_prefix", "/api/token"},
         {"status", 400},
         {"body",
          {{"error", "invalid_request"}, {"error_description", "refresh_token must be supplied"}}},
         {"count", -1}});
    world.fake.expire_access_tokens("vera");
    world.probe.clear();
    world.probe.publish("spotify2mqtt/vera/get", "", 1);
    INFO(world.bridge_log());
    auto shown = world.probe.wait_for_json(
        "spotify2mqtt/vera/availability", [](const Json& a) { return a["state"] == "offline"; },
        10s);
    REQUIRE(shown);
    CHECK(shown->json()["reason"] == "reauth_required");
}

TEST_CASE("an access_token with a line break never becomes a request header", "[token]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("wade", 120000));
    auto& bridge = world.start_bridge(BridgeWorld::accounts({"wade"}));
    REQUIRE(world.wait_state("wade", [](const Json& s) { return s["state"] == "playing"; }));

    int64_t since = world.fake.last_seq();
    answer_next_refresh_with(world, "wade",
                             {{"access_token", "abc\r\nX-Injected: yes"},
                              {"token_type", "Bearer"},
                              {"expires_in", 3600}});
    INFO(bridge.log());
    // Refused as a failed refresh with a sentence that says why…
    auto refused = world.probe.wait_for_json(
        "spotify2mqtt/wade/availability", [](const Json& a) { return a["state"] == "offline"; },
        10s);
    REQUIRE(refused);
    CHECK(refused->json()["reason"] == "bad_response");
    CHECK(refused->json()["message"].get<std::string>().find("access_token") != std::string::npos);
    // …and no request ever carried the injected header.
    world.probe.publish("spotify2mqtt/wade/get", "", 1);
    REQUIRE(world.probe.wait_for_json("spotify2mqtt/wade/availability", account_is_online, 15s));
    for (const Json& request : world.fake.requests(since)) {
        for (const Json& name : request["header_names"]) {
            INFO(request["method"] << " " << request["path"]);
            CHECK(name != "X-Injected");
        }
    }
    CHECK(bridge.log().find("X-Injected") == std::string::npos);
}
