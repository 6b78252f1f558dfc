// The CommandJob's part of the playlist changes (docs/mqtt-commands.md#playlist-changes), against a
// scripted HttpClient: an add reads the playlist's item URIs first, stops at the first page that
// holds the item, and gives up (already_there null) after 20 pages; a failed read adds nothing; a
// new playlist's URI comes from Spotify's answer and the playlist list is read again.
#include <catch2/catch.hpp>

#include "JobRequests.h"
#include "ScriptedHttp.h"
#include "app/CommandJob.h"

using namespace s2m;
using s2m::test::ScriptedHttp;

namespace {

const int64_t kEditNow = 1763796600000;
const std::function<int64_t()> kEditClock = [] { return kEditNow; };
const std::string kCarItemsRead = "/v1/playlists/car1/items?fields=";

CommandRequest add_current_to_car() {
    auto r = s2m::test::job_request<CommandRequest>("alice", kEditNow + 3600 * 1000);
    r.commands.add_to_playlist = PlaylistEdit{{"Car", std::nullopt}, std::nullopt};
    PlaybackState s;
    s.state = PlayerState::Playing;
    s.track = Track{"spotify:track:t1", "One", {"Band"}, "LP", std::nullopt, 200000, "track"};
    r.known.state = s;
    r.known.user_id = "alice";
    Playlist car;
    car.uri = "spotify:playlist:car1";
    car.name = "Car";
    car.owner_id = "alice";
    r.known.playlists = std::vector<Playlist>{car};
    return r;
}

// A page of item URIs as get-playlists-items answers with the bridge's `fields`.
std::string uris_page(const std::string& uri, bool more) {
    return R"({"items":[{"item":{"uri":")" + uri + R"("}}],"next":)" +
           (more ? R"("https://api.spotify.com/v1/next")" : "null") + "}";
}

}  // namespace

TEST_CASE("an add stops reading at the page that holds the item", "[playlist_edit]") {
    ScriptedHttp http;
    http.script = {{kCarItemsRead, 200, uris_page("spotify:track:t9", true)},
                   {"offset=50", 200, uris_page("spotify:track:t1", true)},
                   {"/v1/playlists/car1/items", 201, R"({"snapshot_id":"s2"})"}};
    CommandOutcome outcome = run_command(http, add_current_to_car(), kEditClock);
    INFO((outcome.error ? outcome.error->message : ""));
    CHECK_FALSE(outcome.error);
    CHECK(http.script.empty());
    REQUIRE(http.seen.size() == 3);
    CHECK(http.seen[2].method == "POST");
    CHECK(outcome.plan->data["already_there"] == true);
}

TEST_CASE("an add gives up looking after 20 pages: already_there is null", "[playlist_edit]") {
    ScriptedHttp http;
    for (int i = 0; i < 20; ++i)
        http.script.push_back({kCarItemsRead, 200, uris_page("spotify:track:x", true)});
    http.script.push_back({"/v1/playlists/car1/items", 201, R"({"snapshot_id":"s2"})"});
    CommandOutcome outcome = run_command(http, add_current_to_car(), kEditClock);
    CHECK_FALSE(outcome.error);
    CHECK(http.script.empty());
    CHECK(http.seen.back().method == "POST");
    CHECK(outcome.plan->data["already_there"].is_null());
}

TEST_CASE("a failed duplicate read adds nothing and says what failed", "[playlist_edit]") {
    ScriptedHttp http;
    http.script = {{kCarItemsRead, 403, R"({"error":{"status":403,"message":"Forbidden"}})"}};
    CommandOutcome outcome = run_command(http, add_current_to_car(), kEditClock);
    REQUIRE(outcome.error);
    CHECK(outcome.error->message.find("read the playlist's items") != std::string::npos);
    CHECK(outcome.calls_made == 0);
    CHECK(http.seen.size() == 1);
}

TEST_CASE("create_playlist answers the new URI and reads the playlist list again",
          "[playlist_edit]") {
    ScriptedHttp http;
    http.script = {{"/v1/me/playlists", 201,
                    R"({"uri":"spotify:playlist:new1","name":"Road trip","owner":{"id":"alice"}})"},
                   {"/v1/me/playlists?limit=50", 200,
                    R"({"items":[{"uri":"spotify:playlist:new1","name":"Road trip",)"
                    R"("owner":{"id":"alice"}}],"next":null,"total":1})"}};
    auto r = s2m::test::job_request<CommandRequest>("alice", kEditNow + 3600 * 1000);
    r.commands.create_playlist = NewPlaylist{"Road trip", false, std::nullopt};
    CommandOutcome outcome = run_command(http, r, kEditClock);
    CHECK_FALSE(outcome.error);
    CHECK(http.script.empty());
    CHECK(outcome.plan->data["uri"] == "spotify:playlist:new1");
    REQUIRE(outcome.playlists);
    CHECK(outcome.playlists->at(0).owner_id == "alice");
}
