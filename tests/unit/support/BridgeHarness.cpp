#include "BridgeHarness.h"

#include <stdexcept>

#include "../TestSupport.h"
#include "core/Authorization.h"

namespace s2m::test {

namespace {
// A loop that never goes quiet at one instant is a bug (a poll rescheduling itself at once);
// the test says so instead of hanging.
constexpr int kMaxStepsPerInstant = 10000;
}  // namespace

BridgeHarness::BridgeHarness() {
    config.source = "(unit test)";
    config.spotify.client_id = kTestApp;
    config.spotify.api_url = "http://api.spotify.test/v1";
    config.spotify.accounts_url = "http://accounts.spotify.test";
    config.web.listen.reset();  // no account page in these tests
    // Up next reads the queue and Liked checks the library when the item changes, recent and top
    // read the listening data; the tests about them turn them on, the others keep their exact
    // call lists (up_next_module_test.cpp, liked_module_test.cpp, listening_module_test.cpp).
    config.features.queue = false;
    config.features.liked = false;
    config.features.recent = false;
    config.features.top = false;
}

BridgeHarness::~BridgeHarness() = default;

AccountRecord& BridgeHarness::link(const std::string& name, int64_t token_valid_ms) {
    AccountRecord record;
    record.name = name;
    record.refresh_token = "rt-1";
    record.access_token = "at-1";
    record.access_expires_at_ms = now_ms() + token_valid_ms;
    record.linked_at_ms = now_ms();
    record.scope = scope_string();  // everything the bridge asks for (core/Scopes.h)
    record.user_id = name + "-id";
    record.display_name = name;
    record.premium = true;
    record.client_id = kTestApp;
    return store.records[name] = record;
}

Bridge& BridgeHarness::start() {
    if (bridge_) throw std::logic_error("BridgeHarness: start() twice");
    bridge_ =
        std::make_unique<Bridge>(config, clock, random, loop, jobs, store, player_memory, metrics);
    mqtt.attach(bridge_->listener());
    bridge_->set_mqtt(mqtt);
    bridge_->start();
    mqtt.connect();
    settle();
    return *bridge_;
}

void BridgeHarness::settle() {
    for (int step = 0; step < kMaxStepsPerInstant; ++step) {
        if (!loop.run_next() && !jobs.run_next()) return;
    }
    throw std::runtime_error("the bridge's loop does not go quiet at one instant");
}

void BridgeHarness::advance(int64_t ms) {
    const int64_t until = now_ms() + ms;
    settle();
    while (auto due = loop.next_timer_at_ms()) {
        if (*due > until) break;
        clock.set(std::max(*due, now_ms()));
        settle();
    }
    clock.set(until);
    settle();
}

void BridgeHarness::spotify_playing() {
    nlohmann::json player = fixture_json("spotify/player_track.json");
    player["context"] = nullptr;  // no playlist name to look up
    http.answer("GET", "/v1/me/player", json_response(200, player.dump()));
    http.answer("GET", "/v1/me/player/devices",
                json_response(200, read_fixture("spotify/devices.json")));
    http.answer("GET", "/v1/me/playlists",
                json_response(200, R"({"items":[],"limit":50,"offset":0,"total":0,"next":null})"));
}

nlohmann::json BridgeHarness::last_json(const std::string& topic) const {
    auto payload = mqtt.last(topic);
    if (!payload || payload->empty()) return nullptr;
    return nlohmann::json::parse(*payload);
}

}  // namespace s2m::test
