// SearchModule (bridge/request/search) in-process over the harness: the search runs in its own
// lane with the account's token, and when Spotify no longer takes that token the search does not
// renew it itself (a poll holds that right): a poll renews it, then the search runs once more and
// is answered once.
#include <catch2/catch.hpp>

#include <algorithm>

#include "support/BridgeHarness.h"

using namespace s2m;
using s2m::test::BridgeHarness;
using s2m::test::json_response;

namespace {

const char* kFound =
    R"({"artists":{"href":"h","items":[{"uri":"spotify:artist:dp","name":"Daft Punk",
  "type":"artist"}],"limit":1,"next":null,"offset":0,"previous":null,"total":1}})";

size_t count_lane(const BridgeHarness& harness, const std::string& lane) {
    const auto& lanes = harness.jobs.lanes();
    return static_cast<size_t>(std::count(lanes.begin(), lanes.end(), lane));
}

}  // namespace

TEST_CASE("a search runs in the account's search lane with its token", "[bridge_loop][search]") {
    BridgeHarness harness;
    harness.link("alice");
    harness.spotify_playing();
    harness.http.answer("GET", "/v1/search", json_response(200, kFound));
    harness.start();
    harness.http.forget();
    harness.mqtt.deliver(
        harness.topic("bridge/request/search"),
        R"({"account":"alice","query":"daft punk","types":["artist"],"limit":1,"transaction":7})");
    harness.settle();
    CHECK(harness.last_json(harness.topic("bridge/response/search")) ==
          nlohmann::json::parse(R"({"status":"ok","transaction":7,
            "data":{"artists":[{"uri":"spotify:artist:dp","name":"Daft Punk"}]}})"));
    REQUIRE(harness.http.requests() ==
            std::vector<std::string>{"GET /v1/search?q=daft%20punk&type=artist&limit=1&offset=0"});
    CHECK(s2m::test::header_of(harness.http.seen()[0], "Authorization") == "Bearer at-1");
    CHECK(count_lane(harness, "search/alice") == 1);
}

TEST_CASE("a search refused for its token waits for a poll to renew it, then runs once more",
          "[bridge_loop][search]") {
    BridgeHarness harness;
    harness.link("alice");
    harness.spotify_playing();
    harness.http.answer("GET", "/v1/search", json_response(200, kFound));
    harness.http.answer_once(
        "GET", "/v1/search",
        json_response(401, R"({"error":{"status":401,"message":"The access token expired"}})"));
    harness.http.answer(
        "POST", "/api/token",
        json_response(
            200, R"({"access_token":"at-2","token_type":"Bearer","expires_in":3600,"scope":""})"));
    harness.start();
    harness.http.forget();
    harness.mqtt.forget();
    harness.mqtt.deliver(harness.topic("bridge/request/search"),
                         R"({"account":"alice","query":"daft punk","types":"artist"})");
    harness.settle();
    // The search never renews the token itself (no POST /api/token): it asks for a poll, which
    // renews it when Spotify refuses it there too, and runs again after that poll.
    CHECK(harness.http.count("POST", "/api/token") == 0);
    CHECK(harness.http.count("GET", "/v1/me/player") >= 1);
    auto requests = harness.http.requests();
    INFO(requests.size());
    CHECK(std::count(requests.begin(), requests.end(),
                     "GET /v1/search?q=daft%20punk&type=artist&limit=10&offset=0") == 2);
    CHECK(count_lane(harness, "search/alice") == 2);
    CHECK(harness.mqtt.payloads(harness.topic("bridge/response/search")).size() == 1);
    CHECK(harness.last_json(harness.topic("bridge/response/search"))["status"] == "ok");
}
