// The bridge's feature modules (app/modules/) as a person sees them: a setting leaves a module
// out, and unlinking clears what every installed module published for the account. In-process
// over the harness (support/BridgeHarness.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "core/Discovery.h"
#include "core/MediaPlayerDiscovery.h"
#include "support/BridgeHarness.h"

using namespace s2m;
using s2m::test::BridgeHarness;

namespace {
bool any_topic_below(const BridgeHarness& harness, const std::string& prefix) {
    for (const auto& message : harness.mqtt.published())
        if (message.topic.starts_with(prefix)) return true;
    return false;
}
}  // namespace

TEST_CASE("with homeassistant.discovery off nothing goes to Home Assistant, diagnostics still do",
          "[bridge_loop][modules]") {
    BridgeHarness harness;
    harness.config.homeassistant.discovery = false;
    harness.config.homeassistant.media_player = true;  // needs discovery: off with it
    harness.link("alice");
    harness.spotify_playing();
    harness.start();

    CHECK(harness.last_json(harness.topic("alice"))["state"] == "playing");
    CHECK(harness.last_json(harness.topic("alice/diagnostics"))["status"] == "online");
    CHECK_FALSE(any_topic_below(harness, "homeassistant/"));
    const auto& filters = harness.mqtt.subscriptions();
    CHECK(std::find(filters.begin(), filters.end(), "homeassistant/status") == filters.end());

    harness.mqtt.forget();
    harness.mqtt.deliver("homeassistant/status", "online");  // not subscribed; ignored anyway
    harness.advance(3000);
    CHECK(harness.mqtt.published().empty());
}

TEST_CASE("unlinking clears the account's retained topics, the modules' included",
          "[bridge_loop][modules]") {
    BridgeHarness harness;
    harness.config.homeassistant.media_player = true;
    harness.link("alice");
    harness.spotify_playing();
    harness.start();
    const std::string discovery = discovery_topic("homeassistant", "alice");
    const std::string media_player = media_player_discovery_topic("homeassistant", "alice");
    REQUIRE(harness.mqtt.last(discovery));
    REQUIRE(harness.mqtt.last(media_player));

    harness.mqtt.forget();
    REQUIRE(harness.bridge().unlink("alice").ok());
    harness.settle();
    for (const std::string& topic :
         {harness.topic("alice"), harness.topic("alice/availability"),
          harness.topic("alice/devices"), harness.topic("alice/playlists"),
          harness.topic("alice/diagnostics"), discovery, media_player,
          harness.topic("alice/media/state"), harness.topic("alice/media/albumart")}) {
        INFO(topic);
        CHECK(harness.mqtt.last(topic) == std::optional<std::string>(""));
    }
    CHECK(harness.last_json(harness.topic("bridge/info"))["accounts"].empty());
    CHECK(harness.bridge().account_views().empty());
}
