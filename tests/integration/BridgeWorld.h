// Everything a bridge integration test needs, started for real: a private mosquitto, the fake
// Spotify, a probe subscribed to the bridge's topics, and the bridge binary itself.
#pragma once

#include <memory>
#include <optional>

#include "support/BridgeUnderTest.h"
#include "support/FakeSpotifyClient.h"
#include "support/Mosquitto.h"
#include "support/MqttProbe.h"
#include "support/Paths.h"
#include "support/Wait.h"

namespace s2m::test {

using namespace std::chrono_literals;
using Json = nlohmann::json;

// Short tracks so natural track changes happen within a test.
inline Json short_playlist_user(const std::string& id, int64_t track_ms = 4000) {
    Json tracks = Json::array();
    Json uris = Json::array();
    for (int i = 1; i <= 3; ++i) {
        std::string uri = "spotify:track:short" + id + std::to_string(i);
        tracks.push_back({{"uri", uri},
                          {"name", "Short " + std::to_string(i)},
                          {"artist", "Tester"},
                          {"album", "Quick Album"},
                          {"duration_ms", track_ms}});
        uris.push_back(uri);
    }
    return {{"id", id},
            {"display_name", "User " + id},
            {"refresh_token", "rt-" + id},
            {"tracks", tracks},
            {"playlists", {{{"id", "quick" + id}, {"name", "Quick ones"}, {"tracks", uris}}}},
            {"playback",
             {{"context_uri", "spotify:playlist:quick" + id},
              {"device_id", "fake-device-speaker"},
              {"is_playing", true},
              {"repeat", "context"}}}};
}

struct BridgeWorld {
    Mosquitto broker;
    FakeSpotifyProcess fake_process;
    FakeSpotifyClient fake{fake_process.base_url()};
    MqttProbe probe{broker.url(), MqttProbeOptions{.subscriptions = {"spotify2mqtt/#"}}};
    std::unique_ptr<BridgeUnderTest> bridge;

    explicit BridgeWorld(MosquittoOptions broker_options = {}) : broker(broker_options) {}

    // `web`: serve the account page, /healthz and /metrics on a free loopback port.
    // A bridge on this world's broker and fake, for tests that set more options themselves.
    BridgeOptions bridge_options(Json overrides = Json::object()) const {
        BridgeOptions options;
        options.mqtt_url = broker.url();
        options.api_url = fake.api_url();
        options.accounts_url = fake.accounts_url();
        options.config_overrides = std::move(overrides);
        return options;
    }

    BridgeUnderTest& start_bridge(Json overrides = Json::object(), bool web = false) {
        BridgeOptions options = bridge_options(std::move(overrides));
        options.web = web;
        bridge = std::make_unique<BridgeUnderTest>(options);
        return *bridge;
    }

    static Json accounts(std::initializer_list<std::string> names) {
        Json list = Json::array();
        for (const auto& name : names)
            list.push_back({{"name", name}, {"refresh_token", "rt-" + name}});
        return {{"accounts", list}};
    }

    // The next account state (retained topic <base>/<name>) that satisfies `predicate`.
    std::optional<Json> wait_state(const std::string& name,
                                   const std::function<bool(const Json&)>& predicate,
                                   std::chrono::milliseconds timeout = 10s) {
        auto message = probe.wait_for_json("spotify2mqtt/" + name, predicate, timeout);
        if (!message) return std::nullopt;
        return message->json();
    }

    // For failure messages: what the bridge said.
    std::string bridge_log() const { return bridge ? bridge->log() : ""; }
};

}  // namespace s2m::test
