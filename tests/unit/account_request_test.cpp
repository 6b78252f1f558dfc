// The two account-bound bridge requests share one queue (app/modules/AccountRequestModule.h) but
// each keeps its own words: the example a refusal of a payload that is no JSON object shows, and
// the sentence that refuses the request after 20 waiting ones. Those sentences are put together
// from each kind's pieces, so they are pinned here word for word.
#include <catch2/catch.hpp>

#include <string>

#include "support/BridgeHarness.h"

using namespace s2m;
using nlohmann::json;
using s2m::test::BridgeHarness;
using s2m::test::json_response;

namespace {

const char* kNoArtists =
    R"({"artists":{"href":"h","items":[],"limit":1,"next":null,"offset":0,"previous":null,
  "total":0}})";
const char* kNoTracks =
    R"({"href":"h","items":[],"limit":20,"next":null,"offset":0,"previous":null,"total":0})";

struct Kind {
    std::string name;
    std::string request;  // a good request without its transaction
    std::string example;
    std::string waiting;
};

const Kind kKinds[] = {
    {"search", R"("account":"alice","query":"daft punk","types":["artist"],"limit":1)",
     R"({"account":"alice","query":"Daft Punk"})", "searches"},
    {"library", R"("account":"alice","type":"tracks")", R"({"account":"alice","type":"tracks"})",
     "library requests"},
};

BridgeHarness& started(BridgeHarness& harness) {
    harness.link("alice").scope = "user-read-playback-state user-library-read";
    harness.spotify_playing();
    harness.http.answer("GET", "/v1/search", json_response(200, kNoArtists));
    harness.http.answer("GET", "/v1/me/tracks", json_response(200, kNoTracks));
    harness.start();
    harness.mqtt.forget();
    return harness;
}

}  // namespace

TEST_CASE("a search or library payload that is no JSON object is refused with its kind's example",
          "[bridge_loop][search][library]") {
    for (const Kind& kind : kKinds) {
        BridgeHarness harness;
        started(harness);
        harness.mqtt.deliver(harness.topic("bridge/request/" + kind.name), "[1]");
        harness.mqtt.deliver(harness.topic("bridge/request/" + kind.name), "not json");
        harness.settle();
        auto answers = harness.mqtt.payloads(harness.topic("bridge/response/" + kind.name));
        REQUIRE(answers.size() == 2);
        const std::string start = "the " + kind.name + " request must be a JSON object such as " +
                                  kind.example + "; got ";
        CHECK(json::parse(answers[0]) == json{{"status", "error"},
                                              {"reason", "INVALID_PAYLOAD"},
                                              {"error", start + "an array"}});
        CHECK(json::parse(answers[1]) == json{{"status", "error"},
                                              {"reason", "INVALID_PAYLOAD"},
                                              {"error", start + "text that is not JSON"}});
    }
}

TEST_CASE("past 20 waiting search or library requests, one more is RATE_LIMITED in its words",
          "[bridge_loop][search][library]") {
    for (const Kind& kind : kKinds) {
        BridgeHarness harness;
        started(harness);
        // The loop takes all of them before the first job runs: one runs, 20 wait, one is too
        // many.
        for (int i = 0; i < 22; ++i)
            harness.mqtt.deliver(
                harness.topic("bridge/request/" + kind.name),
                "{" + kind.request + ",\"transaction\":" + std::to_string(i) + "}");
        harness.settle();
        auto answers = harness.mqtt.payloads(harness.topic("bridge/response/" + kind.name));
        REQUIRE(answers.size() == 22);
        CHECK(json::parse(answers[0]) ==
              json{{"status", "error"},
                   {"reason", "RATE_LIMITED"},
                   {"error", "Too many " + kind.waiting +
                                 " are waiting for this account; send this one again when the "
                                 "others are answered."},
                   {"transaction", 21}});
        for (int i = 0; i < 21; ++i) {
            json answer = json::parse(answers[static_cast<size_t>(i) + 1]);
            CHECK(answer["status"] == "ok");
            CHECK(answer["transaction"] == i);  // in the order they came
        }
    }
}
