// The permission upgrade through the real binary (docs/linking.md#scopes): an account linked
// with fewer scopes than the bridge asks for today is told once, shows it on its diagnostics and
// on the page, is refused MISSING_SCOPE before any call for what needs a missing scope, and
// keeps everything else; linking it again with the full list clears all that while its name,
// topics and Home Assistant device stay.
#include <catch2/catch.hpp>

#include <algorithm>

#include "LinkingWorld.h"
#include "core/Discovery.h"
#include "core/Scopes.h"

using namespace s2m;
using namespace s2m::test;

namespace {

size_t count_missing_scope_events(const MqttProbe& probe) {
    auto events = probe.messages("spotify2mqtt/bridge/event");
    return static_cast<size_t>(std::count_if(events.begin(), events.end(), [](const auto& m) {
        return m.json()["type"] == "missing_scopes";
    }));
}

Json response_to(LinkingWorld& world, const std::string& key, const std::string& value,
                 const std::string& id) {
    world.probe.publish("spotify2mqtt/olga/set",
                        R"({")" + key + R"(":)" + value + R"(,"transaction":")" + id + "\"}");
    auto response = world.probe.wait_for_json(
        "spotify2mqtt/olga/response", [&](const Json& r) { return r["transaction"] == id; }, 15s);
    REQUIRE(response);
    return response->json();
}

}  // namespace

TEST_CASE("an account linked with the old scopes is told once and links again in place",
          "[scopes][linking]") {
    LinkingWorld world;
    world.start({"olga-id"});
    world.probe.subscribe("homeassistant/#");
    REQUIRE(world.wait_healthy());

    // Linked as an older bridge did: fewer scopes (here without user-library-modify too, so
    // that a key of today's table, `like`, is refused).
    std::set<std::string> granted = scopes_before_2026_12();
    granted.erase("user-library-modify");
    std::string old_scope;
    for (const std::string& scope : granted) old_scope += (old_scope.empty() ? "" : " ") + scope;
    auto query = query_of(world.press_link("olga"));
    query["scope"] = old_scope;
    std::string location = world.fake.agree_as("olga-id", query)["location"];
    auto landed = world.land(location);
    REQUIRE(landed);
    REQUIRE(landed->status == 200);
    REQUIRE(world.wait_state("olga", is_playing, 15s));

    INFO(world.bridge_log());
    auto diagnostics = world.probe.wait_for_json(
        "spotify2mqtt/olga/diagnostics",
        [](const Json& d) { return d["missing_scopes"].size() == 6 && d["status"] == "online"; },
        15s);
    REQUIRE(diagnostics);  // everything else works: the account is online
    auto event = world.probe.wait_for_json(
        "spotify2mqtt/bridge/event", [](const Json& e) { return e["type"] == "missing_scopes"; },
        10s);
    REQUIRE(event);
    CHECK(event->json()["account"] == "olga");
    CHECK(event->json()["message"].get<std::string>().find("user-top-read") != std::string::npos);
    std::string html = world.page();
    CHECK(html.find(kLinkAgainForScopes) != std::string::npos);
    CHECK(html.find(">Link again</button>") != std::string::npos);

    // MISSING_SCOPE before any call; the rest works.
    int64_t before = world.fake.last_seq();
    Json refused = response_to(world, "like", "true", "t-like");
    CHECK(refused["reason"] == "MISSING_SCOPE");
    CHECK(refused["error"].get<std::string>().find("Link the account again") != std::string::npos);
    CHECK(response_to(world, "volume", "30", "t-volume")["status"] == "ok");
    // No library write (a poll that meets a new track may read whether it is liked meanwhile:
    // that read the old scopes allow).
    for (const Json& request : world.fake.requests(before)) {
        if (request["method"] == "GET") continue;
        CHECK(request["path"].get<std::string>().find("/library") == std::string::npos);
    }

    // More polls, one event.
    world.probe.publish("spotify2mqtt/olga/get", "");
    REQUIRE(eventually(
        [&] { return world.fake.requests_to("GET", "/v1/me/player", before).size() >= 2; }));
    const std::string device = discovery_topic("homeassistant", "olga");
    REQUIRE(world.probe.last(device));
    std::string announced = world.probe.last(device)->payload;
    CHECK(count_missing_scope_events(world.probe) == 1);

    // Link again (the page's button names the account): everything is granted now.
    world.link("olga", "olga-id");
    CHECK(world.probe.wait_for_json(
        "spotify2mqtt/olga/diagnostics", [](const Json& d) { return d["missing_scopes"].empty(); },
        15s));
    CHECK(world.page().find(kLinkAgainForScopes) == std::string::npos);
    CHECK(response_to(world, "like", "true", "t-like-2")["status"] == "ok");
    CHECK(world.wait_state("olga", is_playing, 15s));  // same name, same topics
    REQUIRE(world.probe.last(device));
    CHECK(world.probe.last(device)->json()["dev"] == Json::parse(announced)["dev"]);
    for (const auto& message : world.probe.messages(device)) CHECK_FALSE(message.payload.empty());
    CHECK(count_missing_scope_events(world.probe) == 1);
}
