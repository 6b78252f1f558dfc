// Play by name as a command: set/search and play's {"search","type"} parsed, and planned into
// one search (asked for before anything else) and one play call of what the choice rule picked.
#include <catch2/catch.hpp>

#include "core/CommandPlan.h"

using namespace s2m;
using Json = nlohmann::json;

namespace {

NameSearch searched(const CommandParse& parse) {
    if (!parse.ok()) FAIL(parse.error().message);
    REQUIRE(parse.commands().play);
    REQUIRE(parse.commands().play->search);
    return *parse.commands().play->search;
}

std::string refusal(std::string_view key, std::string_view payload) {
    CommandParse parse = parse_command(key, payload);
    REQUIRE_FALSE(parse.ok());
    return parse.error().reason + ": " + parse.error().message;
}

SearchEntry found(SearchType type, std::string name, std::string uri) {
    SearchEntry e;
    e.type = type;
    e.name = std::move(name);
    e.uri = std::move(uri);
    return e;
}

AccountKnowledge playing_in_kitchen() {
    Device kitchen;
    kitchen.id = "kit";
    kitchen.name = "Kitchen";
    kitchen.is_active = true;
    kitchen.supports_volume = true;
    Device office = kitchen;
    office.id = "off";
    office.name = "Office";
    office.is_active = false;
    AccountKnowledge k;
    PlaybackState s;
    s.state = PlayerState::Playing;
    s.device = kitchen;
    k.state = s;
    k.devices = std::vector<Device>{kitchen, office};
    return k;
}

}  // namespace

TEST_CASE("set/search and play.search parse to the same search", "[command][search]") {
    CHECK(searched(parse_command("search", "artist:Daft Punk")) ==
          NameSearch{"Daft Punk", SearchType::Artist});
    CHECK(searched(parse_command("search", "\"Daft Punk\"")) ==
          NameSearch{"Daft Punk", std::nullopt});
    CHECK(searched(parse_command("search", "1999")) == NameSearch{"1999", std::nullopt});
    CHECK(searched(parse_command("", R"({"search":"show:Darknet Diaries","device":"Kitchen"})")) ==
          NameSearch{"Darknet Diaries", SearchType::Show});
    auto parse =
        parse_command("", R"({"play":{"search":"Bad Company","type":"Track","device":"Office"}})");
    CHECK(searched(parse) == NameSearch{"Bad Company", SearchType::Track});
    CHECK(parse.commands().play->device == "Office");
    // play.type wins over a prefix in the text.
    CHECK(searched(parse_command("play", R"({"search":"artist:Halo","type":"track"})")) ==
          NameSearch{"Halo", SearchType::Track});
}

TEST_CASE("play by name: each mistake is named before any call", "[command][search]") {
    CHECK(refusal("search", " ") ==
          "INVALID_PAYLOAD: the payload is empty; set/search needs a value");
    CHECK(refusal("search", "album:") ==
          "INVALID_PAYLOAD: search is empty; say what to search for");
    CHECK(refusal("search", std::string(300, 'x')).find("too long: 300 bytes") !=
          std::string::npos);
    CHECK(refusal("search", R"({"search":"x"})")
              .starts_with("INVALID_PAYLOAD: search must be text to search for, such as "
                           "\"artist:Daft Punk\" (a "
                           "string), got an object"));
    CHECK(refusal("play", R"({"search":"x","type":"song"})") ==
          "INVALID_PAYLOAD: play.type must be one of track, artist, album, playlist, show, "
          "episode, audiobook, got \"song\"");
    CHECK(refusal("play", R"({"type":"track"})") ==
          "INVALID_PAYLOAD: play.type needs play.search: it says what kind of thing to search for");
    CHECK(refusal("play", R"({"search":"x","uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC"})") ==
          "INVALID_PAYLOAD: play.search cannot be combined with play.uri; the search says what "
          "to play");
    CHECK(refusal("play", R"({"search":7})") ==
          "INVALID_PAYLOAD: play.search must be the text to search for, got 7");
    CHECK(refusal("play", R"({"search":" "})") ==
          "INVALID_PAYLOAD: search is empty; say what to search for");
    CHECK(refusal("", R"({"search":"x","play":"liked"})") ==
          "INVALID_PAYLOAD: play and search cannot be combined; each starts playback, so send one "
          "of them");
    CHECK(refusal("", R"({"search":"x","playlist":"Mix"})")
              .starts_with("INVALID_PAYLOAD: playlist and search cannot be combined"));
}

TEST_CASE("play by name: search first, then play the choice on the named device",
          "[command_plan][search]") {
    CommandSet c = parse_command("", R"({"search":"bad company","device":"Office"})").commands();
    AccountKnowledge k = playing_in_kitchen();
    PlanOutcome first = plan_commands(c, k);
    REQUIRE(std::holds_alternative<Refresh>(first));
    CHECK(std::get<Refresh>(first) == Refresh::Search);
    SearchResults results;
    results.lists = {
        {SearchType::Artist, {found(SearchType::Artist, "Bad Company", "spotify:artist:bc")}},
        {SearchType::Track, {found(SearchType::Track, "Bad Company", "spotify:track:bc")}}};
    k.search_results = results;
    PlanOutcome second = plan_commands(c, k);
    REQUIRE(std::holds_alternative<CommandPlan>(second));
    const CommandPlan& plan = std::get<CommandPlan>(second);
    REQUIRE(plan.calls.size() == 1);
    CHECK(plan.calls[0].method + " " + plan.calls[0].path == "PUT /me/player/play?device_id=off");
    CHECK(plan.calls[0].body == Json{{"context_uri", "spotify:artist:bc"}});
    CHECK(plan.calls[0].action == "play 'Bad Company'");
    REQUIRE(plan.played);
    CHECK(plan.played->uri == "spotify:artist:bc");
    // With a type: a track plays as a list of one.
    c = parse_command("search", "track:bad company").commands();
    const CommandPlan track = std::get<CommandPlan>(plan_commands(c, k));
    CHECK(track.calls[0].path == "/me/player/play");
    CHECK(track.calls[0].body == Json{{"uris", {"spotify:track:bc"}}});
}

TEST_CASE("play by name: nothing found is NOT_FOUND without a call", "[command_plan][search]") {
    AccountKnowledge k = playing_in_kitchen();
    k.search_results = SearchResults{{{SearchType::Show, {}}}};
    CommandSet c = parse_command("search", "show:zzqx").commands();
    PlanOutcome outcome = plan_commands(c, k);
    REQUIRE(std::holds_alternative<CommandError>(outcome));
    const CommandError& error = std::get<CommandError>(outcome);
    CHECK(error.reason == "NOT_FOUND");
    CHECK(error.message ==
          "Spotify found no show for \"zzqx\", so nothing was played. Check the spelling, or "
          "search with another type.");
    // Not even the devices are read for a search that found nothing.
    k.devices.reset();
    c = parse_command("", R"({"play":{"search":"zzqx","device":"Garage"}})").commands();
    k.search_results = SearchResults{};
    CHECK(std::get<CommandError>(plan_commands(c, k))
              .message.starts_with("Spotify found nothing for"));
}
