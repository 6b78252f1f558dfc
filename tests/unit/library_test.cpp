// The library request (docs/mqtt.md#library): its parser, the endpoints it calls, the mapping of
// Spotify's saved-item pages and followed-artist cursor pages (malformed answers are a clear
// error, never a crash), and LibraryModule in-process: the scope check before any call and the
// walk of the artists' cursor up to an offset.
#include <catch2/catch.hpp>

#include "support/BridgeHarness.h"

#include "core/Library.h"
#include "spotify/Endpoints.h"
#include "spotify/SpotifyJson.h"

using namespace s2m;
using nlohmann::json;
using s2m::test::BridgeHarness;
using s2m::test::json_response;

namespace {

Result<LibraryRequest> parse(const char* text) {
    return parse_library_request(json::parse(text));
}

std::string error_of(const char* text) {
    auto parsed = parse(text);
    REQUIRE_FALSE(parsed.ok());
    return parsed.error().message;
}

const char* kSavedTracks = R"({"href":"h","limit":2,"next":null,"offset":4,"previous":null,
  "total":6,"items":[
   {"added_at":"2024-05-17T12:00:00Z","track":{"uri":"spotify:track:a","name":"A",
     "artists":[{"name":"X"},{"name":"Y"}],"album":{"name":"Al"}}},
   null,
   {"added_at":"2024-05-18T12:00:00Z","track":null}]})";

std::string artists_page(const std::vector<std::string>& ids, const char* after, int total) {
    json items = json::array();
    for (const auto& id : ids)
        items.push_back({{"uri", "spotify:artist:" + id}, {"name", "Artist " + id}, {"id", id}});
    return json{{"artists",
                 {{"href", "h"},
                  {"limit", 50},
                  {"next", after ? json("n") : json(nullptr)},
                  {"cursors", {{"after", after ? json(after) : json(nullptr)}}},
                  {"total", total},
                  {"items", items}}}}
        .dump();
}

}  // namespace

TEST_CASE("the library request is read with its defaults and every field", "[library]") {
    auto plain = parse(R"({"account":"alice","type":"Albums"})");
    REQUIRE(plain.ok());
    CHECK(plain->account == "alice");
    CHECK(plain->query == LibraryQuery{LibraryType::Albums, 0, 20});
    auto full = parse(R"({"account":"alice","type":"artists","offset":500,"limit":50,
                          "transaction":1})");
    REQUIRE(full.ok());
    CHECK(full->query == LibraryQuery{LibraryType::Artists, 500, 50});
    CHECK(parse(R"({"account":"a","type":"tracks","offset":100000})").ok());
}

TEST_CASE("a bad library request names its field in one sentence", "[library]") {
    CHECK(
        error_of(R"({"type":"tracks"})") ==
        R"(account must name the account whose library to list, e.g. {"account":"alice","type":"tracks"})");
    CHECK(error_of(R"({"account":"a"})") ==
          "type must be one of tracks, albums, shows, episodes, audiobooks, artists");
    CHECK(error_of(R"({"account":"a","type":["tracks"]})") ==
          "type must be one of tracks, albums, shows, episodes, audiobooks, artists, got an array");
    CHECK(error_of(R"({"account":"a","type":"tracks","limit":0})") ==
          "limit must be a whole number from 1 to 50, got 0");
    CHECK(error_of(R"({"account":"a","type":"tracks","offset":-1})") ==
          "offset must be a whole number from 0 to 100000, got -1");
    CHECK(error_of(R"({"account":"a","type":"artists","offset":501})") ==
          "offset must be a whole number from 0 to 500 for artists (Spotify pages them by "
          "cursor, so the bridge walks to the offset), got 501");
    auto unknown = parse(R"({"account":"a","type":"tracks","after":"x"})");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().reason == reason::kUnknownKey);
}

TEST_CASE("the library endpoints are the reference's, with limit and offset or cursor",
          "[library]") {
    CHECK(endpoint::get_saved_items(LibraryType::Tracks, 40, 20) ==
          endpoint::Request{"GET", "/me/tracks?limit=20&offset=40", std::nullopt,
                            "list the saved tracks"});
    CHECK(endpoint::get_saved_items(LibraryType::Audiobooks, 0, 1).path ==
          "/me/audiobooks?limit=1&offset=0");
    CHECK(endpoint::get_followed_artists(std::nullopt, 50).path ==
          "/me/following?type=artist&limit=50");
    CHECK(endpoint::get_followed_artists("0I2XqVXqHScXjHhk6AYYRe", 10).path ==
          "/me/following?type=artist&after=0I2XqVXqHScXjHhk6AYYRe&limit=10");
    CHECK(library_feature(LibraryType::Artists) == Feature::LibraryArtists);
    CHECK(library_feature(LibraryType::Episodes) == Feature::Library);
}

TEST_CASE("saved items map to compact entries with added_at, skipping null ones", "[library]") {
    auto page = parse_saved_items(kSavedTracks, LibraryType::Tracks);
    REQUIRE(page.ok());
    CHECK(page->total == 6);
    CHECK(page->offset == 4);
    REQUIRE(page->items.size() == 1);
    CHECK(library_page_json(page.value()) == json::parse(R"({"total":6,"offset":4,"items":[
        {"uri":"spotify:track:a","name":"A","artists":["X","Y"],"added_at":"2024-05-17T12:00:00Z"}]})"));

    auto books = parse_saved_items(R"({"total":1,"items":[{"added_at":"2024-01-01T00:00:00Z",
        "audiobook":{"uri":"spotify:audiobook:b","name":"B","authors":[{"name":"Ada"}],
        "publisher":"P"}}]})",
                                   LibraryType::Audiobooks);
    REQUIRE(books.ok());
    CHECK(library_page_json(books.value())["items"][0] ==
          json::parse(R"({"uri":"spotify:audiobook:b","name":"B","authors":["Ada"],
                          "publisher":"P","added_at":"2024-01-01T00:00:00Z"})"));
    auto shows = parse_saved_items(
        R"({"total":1,"items":[{"show":{"uri":"spotify:show:s","name":"S","publisher":"P"}}]})",
        LibraryType::Shows);
    REQUIRE(shows.ok());
    CHECK(library_page_json(shows.value())["items"][0] ==
          json::parse(R"({"uri":"spotify:show:s","name":"S","publisher":"P"})"));
}

TEST_CASE("a malformed library answer is a clear error, never a crash", "[library]") {
    struct Case {
        const char* body;
        const char* says;
    };
    for (const Case& c : std::vector<Case>{
             {"<html>", "the body is not JSON"},
             {"[]", ""},
             {R"({"total":1})", "items: missing"},
             {R"({"items":{}})", "items"},
             {R"({"items":[{"track":{"name":"no uri"}}]})", "items[0].track.uri: missing"},
             {R"({"items":[{"track":"spotify:track:a"}]})", "items[0]"},
             {R"({"items":[7]})", "items[0]"},
             {R"({"items":[],"total":"many"})", "total"},
             {R"({"items":[],"total":-3})", "total: negative"},
         }) {
        INFO(c.body);
        auto page = parse_saved_items(c.body, LibraryType::Tracks);
        REQUIRE_FALSE(page.ok());
        CHECK(page.error().kind == ErrorKind::BadResponse);
        CHECK(page.error().message.find(c.says) != std::string::npos);
    }
    for (const char* body : {R"({})", R"({"artists":[]})", R"({"artists":{"items":null}})",
                             R"({"artists":{"items":[{"name":"x"}]}})",
                             R"({"artists":{"items":[],"cursors":"x","next":"n"}})"}) {
        INFO(body);
        auto page = parse_followed_artists(body);
        REQUIRE_FALSE(page.ok());
        CHECK(page.error().kind == ErrorKind::BadResponse);
    }
}

TEST_CASE("followed artists keep the cursor only while a next page follows", "[library]") {
    auto more = parse_followed_artists(artists_page({"a", "b"}, "b", 3));
    REQUIRE(more.ok());
    CHECK(more->after == "b");
    CHECK(more->total == 3);
    CHECK(more->items.size() == 2);
    auto last = parse_followed_artists(artists_page({"c"}, nullptr, 3));
    REQUIRE(last.ok());
    CHECK_FALSE(last->after);
}

TEST_CASE("the library request walks the artists' cursor to its offset in the library lane",
          "[bridge_loop][library]") {
    BridgeHarness harness;
    harness.link("alice").scope = "user-library-read user-follow-read";
    harness.spotify_playing();
    std::vector<std::string> first, second;
    for (int i = 0; i < 50; ++i) first.push_back("a" + std::to_string(100 + i));
    for (int i = 0; i < 10; ++i) second.push_back("b" + std::to_string(100 + i));
    harness.http.answer_once("GET", "/v1/me/following",
                             json_response(200, artists_page(first, "a149", 60)));
    harness.http.answer_once("GET", "/v1/me/following",
                             json_response(200, artists_page(second, nullptr, 60)));
    harness.start();
    harness.http.forget();
    harness.mqtt.deliver(harness.topic("bridge/request/library"),
                         R"({"account":"alice","type":"artists","offset":48,"limit":4})");
    harness.settle();
    CHECK(harness.http.requests() ==
          std::vector<std::string>{"GET /v1/me/following?type=artist&limit=50",
                                   "GET /v1/me/following?type=artist&after=a149&limit=50"});
    json answer = harness.last_json(harness.topic("bridge/response/library"));
    CHECK(answer["status"] == "ok");
    CHECK(answer["data"]["total"] == 60);
    CHECK(answer["data"]["offset"] == 48);
    std::vector<std::string> uris;
    for (const auto& item : answer["data"]["items"]) uris.push_back(item["uri"]);
    CHECK(uris == std::vector<std::string>{"spotify:artist:a148", "spotify:artist:a149",
                                           "spotify:artist:b100", "spotify:artist:b101"});
}

TEST_CASE("a library request the link does not allow is MISSING_SCOPE before any call",
          "[bridge_loop][library]") {
    BridgeHarness harness;
    harness.link("alice").scope = "user-read-playback-state user-library-read";
    harness.spotify_playing();
    harness.start();
    harness.http.forget();
    harness.mqtt.deliver(harness.topic("bridge/request/library"),
                         R"({"account":"alice","type":"artists","transaction":"t"})");
    harness.settle();
    json answer = harness.last_json(harness.topic("bridge/response/library"));
    CHECK(answer["status"] == "error");
    CHECK(answer["reason"] == "MISSING_SCOPE");
    CHECK(answer["transaction"] == "t");
    CHECK(answer["error"].get<std::string>().find("followed artists needs a permission") !=
          std::string::npos);
    for (const std::string& request : harness.http.requests())
        CHECK(request.find("/v1/me/following") == std::string::npos);
}
