// The playlist changes (docs/mqtt-commands.md#playlist-changes): add_to_playlist,
// remove_from_playlist and create_playlist parsed in both forms and planned into the 2026 playlist
// endpoints; only the user's own and collaborative playlists can be changed (NOT_ALLOWED before
// any call); names resolve like the playlist key (UNKNOWN_PLAYLIST after a fresh list).
#include <catch2/catch.hpp>

#include "core/Command.h"
#include "core/CommandPlan.h"
#include "core/CommandPlaylistEdit.h"
#include "spotify/SpotifyJson.h"

using namespace s2m;

namespace {

Playlist make_playlist(std::string id, std::string name, std::string owner_id,
                       bool collaborative = false) {
    Playlist p;
    p.uri = "spotify:playlist:" + id;
    p.name = std::move(name);
    p.owner = owner_id + " (name)";
    p.owner_id = std::move(owner_id);
    p.collaborative = collaborative;
    return p;
}

// alice plays "One"; she owns Car, collaborates on Party and follows Bob's Hits.
AccountKnowledge alice_playing() {
    AccountKnowledge k;
    PlaybackState s;
    s.state = PlayerState::Playing;
    s.track = Track{"spotify:track:t1", "One", {"Band"}, "LP", std::nullopt, 200000, "track"};
    Device kitchen;
    kitchen.id = "kitchen";
    kitchen.name = "Kitchen";
    kitchen.is_active = true;
    s.device = kitchen;
    k.state = s;
    k.user_id = "alice";
    k.playlists = std::vector<Playlist>{make_playlist("car1", "Car", "alice"),
                                        make_playlist("party1", "Party", "bob", true),
                                        make_playlist("hits1", "Hits", "bob")};
    return k;
}

CommandSet parsed(std::string_view key, std::string_view payload) {
    CommandParse parse = parse_command(key, payload);
    if (!parse.ok()) FAIL(parse.error().message);
    return parse.commands();
}

std::string reason_of(std::string_view key, std::string_view payload) {
    CommandParse parse = parse_command(key, payload);
    REQUIRE_FALSE(parse.ok());
    return parse.error().reason;
}

CommandPlan edit_plan(const PlanOutcome& outcome) {
    if (auto* error = std::get_if<CommandError>(&outcome)) FAIL(error->message);
    REQUIRE(std::holds_alternative<CommandPlan>(outcome));
    return std::get<CommandPlan>(outcome);
}

CommandError edit_error(const PlanOutcome& outcome) {
    REQUIRE(std::holds_alternative<CommandError>(outcome));
    return std::get<CommandError>(outcome);
}

}  // namespace

TEST_CASE("only the owner, or anyone on a collaborative playlist, may change it",
          "[playlist_edit]") {
    CHECK(may_change_playlist(make_playlist("a", "Car", "alice"), "alice"));
    CHECK(may_change_playlist(make_playlist("b", "Party", "bob", true), "alice"));
    CHECK_FALSE(may_change_playlist(make_playlist("c", "Hits", "bob"), "alice"));
    Playlist unknown_owner = make_playlist("d", "Old", "alice");
    unknown_owner.owner_id.reset();
    CHECK_FALSE(may_change_playlist(unknown_owner, "alice"));
}

TEST_CASE("playlist edit keys parse a name, a link or an object, in both forms",
          "[playlist_edit]") {
    CommandSet plain = parsed("add_to_playlist", "Car");
    REQUIRE(plain.add_to_playlist);
    CHECK(plain.add_to_playlist->playlist.name == "Car");
    CHECK_FALSE(plain.add_to_playlist->item);

    CommandSet object = parsed(
        "", R"({"add_to_playlist":{"playlist":"https://open.spotify.com/playlist/car1?si=x",)"
            R"("uri":"spotify:track:t9"}})");
    REQUIRE(object.add_to_playlist);
    CHECK(object.add_to_playlist->playlist.uri == "spotify:playlist:car1");
    CHECK(object.add_to_playlist->item == "spotify:track:t9");

    CommandSet remove = parsed("remove_from_playlist", "spotify:playlist:car1");
    REQUIRE(remove.remove_from_playlist);
    CHECK(remove.remove_from_playlist->playlist.uri == "spotify:playlist:car1");

    CHECK(reason_of("add_to_playlist", "spotify:album:abc") == "INVALID_PAYLOAD");
    CHECK(reason_of("", R"({"add_to_playlist":{"uri":"spotify:track:t9"}})") == "INVALID_PAYLOAD");
    CHECK(reason_of("", R"({"add_to_playlist":{"playlist":"Car","uri":"spotify:album:x"}})") ==
          "INVALID_PAYLOAD");
    CHECK(reason_of("", R"({"add_to_playlist":{"playlist":"Car","at":1}})") == "UNKNOWN_KEY");
    CHECK(reason_of("add_to_playlist", "") == "INVALID_PAYLOAD");
}

TEST_CASE("create_playlist takes a name or {name, public, description}, private by default",
          "[playlist_edit]") {
    CommandSet plain = parsed("create_playlist", "Road trip");
    REQUIRE(plain.create_playlist);
    CHECK(plain.create_playlist->name == "Road trip");
    CHECK_FALSE(plain.create_playlist->is_public);
    CHECK_FALSE(plain.create_playlist->description);

    CommandSet object = parsed(
        "", R"({"create_playlist":{"name":"Party","public":true,"description":"Saturday"}})");
    REQUIRE(object.create_playlist);
    CHECK(object.create_playlist->is_public);
    CHECK(object.create_playlist->description == "Saturday");

    CHECK(reason_of("", R"({"create_playlist":{"public":true}})") == "INVALID_PAYLOAD");
    CHECK(reason_of("", R"({"create_playlist":{"name":"A","public":"maybe"}})") ==
          "INVALID_PAYLOAD");
    CHECK(reason_of("", R"({"create_playlist":{"name":"A","colour":"red"}})") == "UNKNOWN_KEY");

    CommandPlan plan = edit_plan(plan_commands(object, AccountKnowledge{}));
    REQUIRE(plan.calls.size() == 1);
    CHECK(plan.calls[0].method == "POST");
    CHECK(plan.calls[0].path == "/me/playlists");
    CHECK(*plan.calls[0].body ==
          nlohmann::json{{"name", "Party"}, {"public", true}, {"description", "Saturday"}});
    CHECK(plan.creating_call == 0u);
    CHECK_FALSE(needs_premium(object));
}

TEST_CASE("an add plans one POST of the current item, after a duplicate check", "[playlist_edit]") {
    CommandPlan plan = edit_plan(plan_commands(parsed("add_to_playlist", "car"), alice_playing()));
    REQUIRE(plan.calls.size() == 1);
    CHECK(plan.calls[0].method == "POST");
    CHECK(plan.calls[0].path == "/playlists/car1/items");
    CHECK(*plan.calls[0].body == nlohmann::json{{"uris", {"spotify:track:t1"}}});
    REQUIRE(plan.duplicate_check);
    CHECK(plan.duplicate_check->playlist_id == "car1");
    CHECK(plan.duplicate_check->item_uri == "spotify:track:t1");
    CHECK(plan.data ==
          nlohmann::json{{"playlist", "spotify:playlist:car1"}, {"uri", "spotify:track:t1"}});
    CHECK_FALSE(needs_premium(parsed("add_to_playlist", "car")));

    // A collaborative playlist of someone else, with an item named in the message.
    CommandPlan party = edit_plan(plan_commands(
        parsed("", R"({"add_to_playlist":{"playlist":"Party","uri":"spotify:track:t9"}})"),
        alice_playing()));
    CHECK(*party.calls[0].body == nlohmann::json{{"uris", {"spotify:track:t9"}}});
}

TEST_CASE("a removal plans one DELETE with the item, and no duplicate check", "[playlist_edit]") {
    CommandPlan plan = edit_plan(
        plan_commands(parsed("", R"({"remove_from_playlist":{"playlist":"spotify:playlist:car1",)"
                                 R"("uri":"spotify:episode:e1"}})"),
                      alice_playing()));
    REQUIRE(plan.calls.size() == 1);
    CHECK(plan.calls[0].method == "DELETE");
    CHECK(plan.calls[0].path == "/playlists/car1/items");
    CHECK(*plan.calls[0].body ==
          nlohmann::json{{"items", nlohmann::json::array({{{"uri", "spotify:episode:e1"}}})}});
    CHECK_FALSE(plan.duplicate_check);
}

TEST_CASE(
    "someone else's playlist is NOT_ALLOWED before any call, an unknown name after a "
    "fresh list is UNKNOWN_PLAYLIST",
    "[playlist_edit]") {
    AccountKnowledge k = alice_playing();
    CommandError hits = edit_error(plan_commands(parsed("add_to_playlist", "Hits"), k));
    CHECK(hits.reason == "NOT_ALLOWED");
    CHECK(hits.message.find("'bob (name)'") != std::string::npos);

    // A link to a playlist not among the account's: a fresh list first, then NOT_ALLOWED.
    auto stranger = parsed("remove_from_playlist", "spotify:playlist:zzz");
    CHECK(std::get<Refresh>(plan_commands(stranger, k)) == Refresh::Playlists);
    k.fresh_playlists = true;
    CHECK(edit_error(plan_commands(stranger, k)).reason == "NOT_ALLOWED");

    AccountKnowledge stale = alice_playing();
    auto unknown = parsed("add_to_playlist", "Gym");
    CHECK(std::get<Refresh>(plan_commands(unknown, stale)) == Refresh::Playlists);
    stale.fresh_playlists = true;
    CHECK(edit_error(plan_commands(unknown, stale)).reason == "UNKNOWN_PLAYLIST");

    // The owner check needs the user id: the profile is read first when it is unknown.
    AccountKnowledge no_user = alice_playing();
    no_user.user_id.reset();
    CHECK(std::get<Refresh>(plan_commands(parsed("add_to_playlist", "Car"), no_user)) ==
          Refresh::Profile);
}

TEST_CASE("without an item and with nothing playing: a fresh look, then NOTHING_PLAYING",
          "[playlist_edit]") {
    AccountKnowledge k = alice_playing();
    k.state = PlaybackState{};
    auto add = parsed("add_to_playlist", "Car");
    CHECK(std::get<Refresh>(plan_commands(add, k)) == Refresh::State);
    k.fresh_state = true;
    CHECK(edit_error(plan_commands(add, k)).reason == "NOTHING_PLAYING");
}

TEST_CASE(
    "the playlist mapping keeps the owner id and the collaborative flag, item URI pages "
    "read",
    "[playlist_edit]") {
    auto page = parse_playlist_page(
        R"({"items":[{"uri":"spotify:playlist:p1","name":"Party","collaborative":true,)"
        R"("owner":{"id":"bob","display_name":"Bob"}}],"next":null,"total":1})");
    REQUIRE(page);
    REQUIRE(page->items.size() == 1);
    CHECK(page->items[0].owner_id == "bob");
    CHECK(page->items[0].owner == "Bob");
    CHECK(page->items[0].collaborative);

    auto created = parse_playlist(R"({"uri":"spotify:playlist:new1","name":"New",)"
                                  R"("owner":{"id":"alice"}})");
    REQUIRE(created);
    CHECK(created->uri == "spotify:playlist:new1");
    CHECK_FALSE(parse_playlist(R"({"name":"no uri"})"));

    auto uris = parse_playlist_item_uris(
        R"({"items":[{"item":{"uri":"spotify:track:a"}},null,{"track":{"uri":"spotify:episode:b"}},)"
        R"({"item":null}],"next":"http://x/next"})");
    REQUIRE(uris);
    CHECK(uris->uris == std::vector<std::string>{"spotify:track:a", "spotify:episode:b"});
    CHECK(uris->more);
}
