// PlayerMemoryModule in the bridge's loop (tests/unit/support/BridgeHarness.h): an unknown
// snapshot is answered before any Spotify call, a snapshot is kept only once it was read, a
// muted volume kept from before the start is what unmute puts back, and a memory that cannot be
// written is said in the answer.
#include <catch2/catch.hpp>

#include "support/BridgeHarness.h"

using namespace s2m;
using s2m::test::BridgeHarness;
using s2m::test::json_response;
using Requests = std::vector<std::string>;

namespace {

// A playing account (volume 55 on "Living Room"), polled once, with the logs emptied.
void start_playing_with_memory(BridgeHarness& harness) {
    harness.link("alice");
    harness.spotify_playing();
    harness.start();
    REQUIRE(harness.last_json(harness.topic("alice"))["volume"] == 55);
    harness.http.forget();
    harness.mqtt.forget();
}

nlohmann::json answer_to(BridgeHarness& harness, const std::string& suffix,
                         const std::string& payload) {
    harness.mqtt.deliver(harness.topic("alice/" + suffix), payload);
    harness.settle();
    return harness.last_json(harness.topic("alice/response"));
}

}  // namespace

TEST_CASE("restore of an unknown snapshot: NOT_FOUND and no Spotify call", "[player_memory]") {
    BridgeHarness harness;
    start_playing_with_memory(harness);
    nlohmann::json answer = answer_to(harness, "set", R"({"restore":"doorbell","transaction":1})");
    CHECK(answer["reason"] == "NOT_FOUND");
    CHECK(answer["transaction"] == 1);
    CHECK_THAT(answer["error"].get<std::string>(),
               Catch::StartsWith("There is no snapshot named 'doorbell'"));
    CHECK(harness.http.requests().empty());
}

TEST_CASE("a snapshot is kept after its fresh read, restore then finds it", "[player_memory]") {
    BridgeHarness harness;
    start_playing_with_memory(harness);
    CHECK(answer_to(harness, "set/snapshot", "true") == nlohmann::json{{"status", "ok"}});
    CHECK(harness.http.requests() == Requests{"GET /v1/me/player?additional_types=episode"});
    auto kept = harness.player_memory.load_snapshot("alice", "default");
    REQUIRE(kept);
    CHECK(kept->state == PlayerState::Playing);
    CHECK(kept->volume == 55);
    CHECK(kept->taken_at_ms == harness.now_ms());
    // Nothing changed at Spotify: no poll to confirm it (the next read is the routine one).
    harness.http.forget();
    harness.advance(3000);
    CHECK(harness.http.requests().empty());

    harness.player_memory.fail_saves = true;
    nlohmann::json failed = answer_to(harness, "set/snapshot", "other");
    CHECK(failed["reason"] == "SPOTIFY_ERROR");
    CHECK_THAT(failed["error"].get<std::string>(),
               Catch::Contains("could not keep the snapshot 'other'"));
    CHECK_FALSE(harness.player_memory.load_snapshot("alice", "other"));
}

TEST_CASE("a muted volume kept from before the start is loaded, mute and unmute round trip",
          "[player_memory]") {
    BridgeHarness harness;
    harness.player_memory.muted["alice"] = 30;
    harness.link("alice");
    harness.spotify_playing();
    harness.start();
    harness.http.forget();
    harness.http.answer("PUT", "/v1/me/player/volume", json_response(204, ""));

    // Spotify says 55: a volume was set since the mute, so unmute keeps it and forgets 30.
    CHECK(answer_to(harness, "set/mute", "unmute") == nlohmann::json{{"status", "ok"}});
    CHECK(harness.http.requests().empty());
    CHECK(harness.player_memory.muted.empty());

    CHECK(answer_to(harness, "set/mute", "mute") == nlohmann::json{{"status", "ok"}});
    CHECK(harness.http.requests() == Requests{"PUT /v1/me/player/volume?volume_percent=0"});
    CHECK(harness.player_memory.muted.at("alice") == 55);
    CHECK(harness.last_json(harness.topic("alice"))["volume"] == 0);
    harness.http.forget();
    CHECK(answer_to(harness, "set/mute", "false") == nlohmann::json{{"status", "ok"}});
    CHECK(harness.http.requests() == Requests{"PUT /v1/me/player/volume?volume_percent=55"});
    CHECK(harness.player_memory.muted.empty());
}
