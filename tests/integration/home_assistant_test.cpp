// Home Assistant discovery through the real binary and broker: announced retained, again on HA's
// birth message and when the device list changes, cleared on unlink, and each entity's command
// topic, published the way HA publishes it, drives the fake Spotify.
#include <httplib.h>
#include <catch2/catch.hpp>

#include <thread>

#include "BridgeWorld.h"
#include "HaTemplate.h"

using namespace s2m::test;

namespace {

const std::string kDiscovery = "homeassistant/device/spotify2mqtt_alice/config";

struct HaWorld : BridgeWorld {
    MqttProbe ha{broker.url(), MqttProbeOptions{.subscriptions = {"homeassistant/#"}}};
    std::unique_ptr<httplib::Client> web;

    HaWorld() {
        fake.create_user(short_playlist_user("alice", 120000));
        start_bridge(BridgeWorld::accounts({"alice"}), /*web=*/true);
        web = std::make_unique<httplib::Client>(bridge->web_url());
    }

    // The next discovery payload whose components satisfy `predicate`.
    std::optional<Json> discovery(const std::function<bool(const Json&)>& predicate,
                                  std::chrono::milliseconds timeout = 10s) {
        auto message = ha.wait_for_json(
            kDiscovery, [&](const Json& p) { return p.contains("cmps") && predicate(p["cmps"]); },
            timeout);
        if (!message) return std::nullopt;
        return message->json();
    }
};

bool has_options(const Json& cmps, const std::string& id, const Json& options) {
    return cmps.contains(id) && cmps[id]["options"] == options;
}

// What HA sends for a select with our command_template `{{ {label: value, …}.get(value, value) }}`.
std::string render_select(const Json& component, const std::string& option) {
    std::string tpl = component["command_template"];
    std::string mapping = tpl.substr(3, tpl.find(".get(") - 3);
    Json map = Json::parse(mapping);
    return map.contains(option) ? map[option].get<std::string>() : option;
}

// What Home Assistant shows for a select after this account state (tests/unit/HaTemplate.h).
std::string shows(const Json& select, const Json& state) {
    return s2m::test::render_ha_template(select["value_template"], state.dump());
}

}  // namespace

TEST_CASE("discovery is retained, follows the device list and HA's birth, and drives Spotify",
          "[home_assistant]") {
    HaWorld world;
    auto first = world.discovery([](const Json& cmps) {
        return has_options(cmps, "spotify2mqtt_alice_source", Json{"Fake Speaker", "Fake Phone"});
    });
    INFO(world.bridge_log());
    REQUIRE(first);
    const Json cmps = (*first)["cmps"];
    CHECK((*first)["dev"]["ids"] == Json{"spotify2mqtt_alice"});
    CHECK((*first)["availability_mode"] == "all");
    CHECK(cmps.contains("spotify2mqtt_alice_playlist"));
    REQUIRE(world.ha.last(kDiscovery));
    CHECK(world.ha.last(kDiscovery)->retained);

    // The diagnostics the diagnostic entities read.
    auto diagnostics = world.probe.wait_for_json(
        "spotify2mqtt/alice/diagnostics", [](const Json& d) { return d["status"] == "online"; });
    REQUIRE(diagnostics);
    CHECK(diagnostics->json()["refresh_token_expires_at"].is_string());

    // Pressing entities exactly as HA publishes to their command topics.
    int64_t since = world.fake.last_seq();
    // The device first: a volume belongs to the device it is set on.
    world.ha.publish(cmps["spotify2mqtt_alice_source"]["command_topic"],
                     render_select(cmps["spotify2mqtt_alice_source"], "Fake Phone"), 1);
    world.ha.publish(cmps["spotify2mqtt_alice_playlist"]["command_topic"],
                     render_select(cmps["spotify2mqtt_alice_playlist"], "Quick ones"), 1);
    world.ha.publish(cmps["spotify2mqtt_alice_next"]["command_topic"],
                     cmps["spotify2mqtt_alice_next"]["payload_press"], 1);
    world.ha.publish(cmps["spotify2mqtt_alice_volume"]["command_topic"], "42", 1);
    world.ha.publish(cmps["spotify2mqtt_alice_shuffle"]["command_topic"], "ON", 1);
    world.ha.publish(cmps["spotify2mqtt_alice_repeat"]["command_topic"], "track", 1);
    auto state = world.wait_state("alice", [](const Json& s) {
        return s["volume"] == 42 && s["shuffle"] == true && s["repeat"] == "track" &&
               s["device"]["name"] == "Fake Phone" &&
               s["context"]["uri"] == "spotify:playlist:quickalice";
    });
    REQUIRE(state);
    // What HA makes of the state with each select's template: the option that was chosen.
    CHECK(shows(cmps["spotify2mqtt_alice_source"], *state) == "Fake Phone");
    CHECK(shows(cmps["spotify2mqtt_alice_playlist"], *state) == "Quick ones");
    CHECK(shows(cmps["spotify2mqtt_alice_repeat"], *state) == "track");
    CHECK(world.fake.requests_to("POST", "/v1/me/player/next", since).size() == 1);
    Json transfers = world.fake.requests_to("PUT", "/v1/me/player", since);
    REQUIRE(transfers.size() == 1);
    CHECK(Json::parse(transfers[0]["body"].get<std::string>())["device_ids"] ==
          Json{"fake-device-phone"});
    // Watch closely: its payload is a boost of the default length (docs/mqtt-commands.md#boost).
    world.ha.publish(cmps["spotify2mqtt_alice_boost"]["command_topic"],
                     cmps["spotify2mqtt_alice_boost"]["payload_press"], 1);
    auto boosted = world.probe.wait_for_json("spotify2mqtt/alice/response", [](const Json& r) {
        return r.contains("data") && r["data"].contains("boost_s");
    });
    REQUIRE(boosted);
    CHECK(boosted->json()["status"] == "ok");
    CHECK(boosted->json()["data"]["boost_s"] == 900);

    // A new device, restricted and playing: announced again with it, and the source select
    // shows it although its label is marked (issue 18); nothing else republishes.
    world.ha.clear();
    world.fake.set_devices(
        "alice", Json::array({{{"id", "fake-device-speaker"}, {"name", "Fake Speaker"}},
                              {{"id", "garage-1"}, {"name", "Garage"}, {"is_restricted", true}}}));
    world.fake.set_playback("alice", {{"device_id", "garage-1"}, {"is_playing", true}});
    world.probe.publish("spotify2mqtt/alice/get", "");
    auto marked = world.discovery([](const Json& c) {
        return has_options(c, "spotify2mqtt_alice_source",
                           Json{"Fake Speaker", "Garage (restricted)"});
    });
    REQUIRE(marked);
    auto on_garage =
        world.wait_state("alice", [](const Json& s) { return s["device"]["name"] == "Garage"; });
    REQUIRE(on_garage);
    CHECK(shows((*marked)["cmps"]["spotify2mqtt_alice_source"], *on_garage) ==
          "Garage (restricted)");
    world.probe.publish("spotify2mqtt/alice/get", "");
    std::this_thread::sleep_for(1500ms);
    CHECK(world.ha.messages(kDiscovery).size() == 1);

    // Home Assistant restarted: it says so and gets everything again.
    world.ha.clear();
    world.ha.publish("homeassistant/status", "online", 1);
    bool announced = world.discovery([](const Json&) { return true; }, 8s).has_value();
    INFO(world.bridge_log());
    CHECK(announced);

    // Unlinked: the discovery and the diagnostics are deleted (empty retained payloads).
    world.probe.clear();
    auto res = world.web->Post("/accounts/alice/unlink", httplib::Params{});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(world.ha.wait_for(kDiscovery, [](const std::string& p) { return p.empty(); }));
    CHECK(world.probe.wait_for("spotify2mqtt/alice/diagnostics",
                               [](const std::string& p) { return p.empty(); }));
    MqttProbe late(world.broker.url(), MqttProbeOptions{.subscriptions = {"homeassistant/#"}});
    CHECK_FALSE(late.wait_for(kDiscovery, nullptr, 1s));
}

TEST_CASE("with discovery off nothing is published under the prefix", "[home_assistant]") {
    BridgeWorld world;
    MqttProbe ha(world.broker.url(), MqttProbeOptions{.subscriptions = {"homeassistant/#"}});
    world.fake.create_user(short_playlist_user("alice", 120000));
    Json config = BridgeWorld::accounts({"alice"});
    config["homeassistant"] = {{"discovery", false}};
    world.start_bridge(config);
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "playing"; }));
    ha.publish("homeassistant/status", "online", 1);
    std::this_thread::sleep_for(3500ms);
    auto published = ha.messages("homeassistant/#");
    // Only our own birth message is there.
    REQUIRE(published.size() == 1);
    CHECK(published[0].topic == "homeassistant/status");
}
