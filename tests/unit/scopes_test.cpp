// The permission upgrade (docs/linking.md#scopes): the scopes the bridge asks for, the granted
// scopes read from token answers and kept in the token store, which features they allow, and
// MISSING_SCOPE before any call. Pure parts directly, the bookkeeping over the harness.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "core/Authorization.h"
#include "core/Scopes.h"
#include "support/BridgeHarness.h"

using namespace s2m;
using s2m::test::BridgeHarness;
using s2m::test::json_response;

namespace {

const std::vector<std::string> kNewScopes{"playlist-modify-private", "playlist-modify-public",
                                          "user-read-recently-played", "user-top-read",
                                          "user-follow-read"};

std::string scope_text(const std::set<std::string>& scopes) {
    std::string text;
    for (const std::string& scope : scopes) text += scope + " ";
    return text;
}

CommandSet scope_list_parsed(const std::string& key, const std::string& payload) {
    CommandParse parse = parse_command(key, payload);
    REQUIRE(parse.ok());
    return parse.commands();
}

}  // namespace

TEST_CASE("new links ask for the scopes of playlist changes and listening history", "[scopes]") {
    std::set<std::string> asked = parse_scopes(scope_string());
    for (const std::string& scope : kNewScopes) CHECK(asked.contains(scope));
    for (const std::string& scope : scopes_before_2026_12()) CHECK(asked.contains(scope));
    CHECK(missing_scopes(asked).empty());
    CHECK(missing_features(asked).empty());
}

TEST_CASE("granted scopes are read from Spotify's space-separated text", "[scopes]") {
    CHECK(parse_scopes("  user-top-read   user-read-private ") ==
          std::set<std::string>{"user-top-read", "user-read-private"});
    CHECK(parse_scopes("").empty());
    // A record without scopes (older files, a seeded token) means the list asked for before.
    CHECK(granted_scopes("") == scopes_before_2026_12());
    CHECK(granted_scopes(" ") == scopes_before_2026_12());
    CHECK(granted_scopes("user-top-read") == std::set<std::string>{"user-top-read"});
}

TEST_CASE("each feature needs its scopes: an old link lacks exactly the new ones", "[scopes]") {
    const std::set<std::string>& old = scopes_before_2026_12();
    CHECK(missing_scopes(old) == kNewScopes);
    CHECK(may_use(Feature::LibraryChanges, old));
    for (Feature feature :
         {Feature::PlaylistChanges, Feature::Recent, Feature::Top, Feature::LibraryArtists})
        CHECK_FALSE(may_use(feature, old));

    std::set<std::string> one_playlist_scope = old;
    one_playlist_scope.insert("playlist-modify-private");
    CHECK_FALSE(may_use(Feature::PlaylistChanges, one_playlist_scope));  // both are needed
    one_playlist_scope.insert("playlist-modify-public");
    CHECK(may_use(Feature::PlaylistChanges, one_playlist_scope));

    std::set<std::string> with_top = old;
    with_top.insert("user-top-read");
    CHECK(missing_features(with_top) ==
          std::vector<Feature>{Feature::PlaylistChanges, Feature::Recent, Feature::LibraryArtists});
    for (const FeatureScopes& row : feature_scope_table()) CHECK(&scopes_of(row.feature) == &row);
}

TEST_CASE("a key that needs a missing scope is refused by name, before any call", "[scopes]") {
    std::set<std::string> no_library = scopes_before_2026_12();
    no_library.erase("user-library-modify");
    auto refusal = missing_scope_refusal(scope_list_parsed("like", "true"), no_library);
    REQUIRE(refusal);
    CHECK(refusal->reason == reason::kMissingScope);
    CHECK(refusal->message.find("user-library-modify") != std::string::npos);
    CHECK(refusal->message.find("Link the account again") != std::string::npos);
    CHECK(refusal->message.find("keeps its name, topics") != std::string::npos);
    CHECK_FALSE(missing_scope_refusal(scope_list_parsed("like", "true"), scopes_before_2026_12()));
    CHECK_FALSE(missing_scope_refusal(scope_list_parsed("volume", "40"), no_library));

    // The check goes by the key's name: a row for a key (here `volume`) works as soon as the key
    // is in the key table, and a row for a key that is not (yet) there asks for nothing.
    std::vector<KeyFeature> keys{{"volume", Feature::Top}, {"not_a_key_yet", Feature::Recent}};
    auto volume = missing_scope_refusal(scope_list_parsed("", R"({"volume":40,"shuffle":true})"),
                                        scopes_before_2026_12(), keys);
    REQUIRE(volume);
    CHECK(volume->message.find("volume needs") != std::string::npos);
    CHECK(volume->message.find("user-top-read") != std::string::npos);
    CHECK_FALSE(missing_scope_refusal(scope_list_parsed("shuffle", "true"), {}, keys));
    for (const KeyFeature& row : key_feature_table()) CHECK(std::string(row.key).size() > 0);
}

TEST_CASE("an account linked before: a diagnostic, one event, the page line, MISSING_SCOPE",
          "[scopes][bridge_loop]") {
    BridgeHarness harness;
    std::set<std::string> granted = scopes_before_2026_12();
    granted.erase("user-library-modify");  // so that a key of today's table is refused
    harness.link("alice").scope = scope_text(granted);
    harness.spotify_playing();
    harness.start();
    harness.advance(3 * 60 * 1000);  // several polls

    std::vector<std::string> missing = kNewScopes;
    missing.push_back("user-library-modify");
    std::sort(missing.begin(), missing.end());
    auto diagnostics = harness.last_json(harness.topic("alice/diagnostics"));
    std::vector<std::string> shown = diagnostics["missing_scopes"];
    std::sort(shown.begin(), shown.end());
    CHECK(shown == missing);
    CHECK(diagnostics["status"] == "online");  // everything else keeps working
    auto events = harness.mqtt.payloads(harness.topic("bridge/event"));
    CHECK(std::count_if(events.begin(), events.end(), [](const std::string& e) {
              return e.find("\"missing_scopes\"") != std::string::npos;
          }) == 1);
    auto views = harness.bridge().account_views();
    REQUIRE(views.size() == 1);
    CHECK(views[0].missing_scopes.size() == missing.size());

    harness.http.forget();
    harness.mqtt.deliver(harness.topic("alice/set/like"), "true");
    harness.settle();
    auto response = harness.last_json(harness.topic("alice/response"));
    CHECK(response["reason"] == "MISSING_SCOPE");
    CHECK(harness.http.count("PUT", "/v1/me/library") == 0);
    for (const std::string& request : harness.http.requests())
        CHECK(request.find("library") == std::string::npos);
}

TEST_CASE("a renewal keeps the stored scopes when Spotify leaves them out, else takes the new",
          "[scopes][bridge_loop]") {
    BridgeHarness harness;
    harness.link("alice", /*token_valid_ms=*/0).scope = "user-read-playback-state user-top-read";
    harness.spotify_playing();
    harness.http.answer_once(
        "POST", "/api/token",
        json_response(200, R"({"access_token":"at-2","token_type":"Bearer","expires_in":60})"));
    harness.start();
    REQUIRE(harness.http.count("POST", "/api/token") == 1);
    CHECK(harness.store.records.at("alice").access_token == "at-2");
    CHECK(harness.store.records.at("alice").scope == "user-read-playback-state user-top-read");

    harness.http.answer("POST", "/api/token",
                        json_response(200, R"({"access_token":"at-3","token_type":"Bearer",
                                               "expires_in":3600,"scope":")" +
                                               scope_string() + "\"}"));
    harness.advance(5 * 60 * 1000);  // polls renew the token as it nears its end
    REQUIRE(harness.store.records.at("alice").access_token == "at-3");
    CHECK(harness.store.records.at("alice").scope == scope_string());
    CHECK(harness.last_json(harness.topic("alice/diagnostics"))["missing_scopes"].empty());
}
