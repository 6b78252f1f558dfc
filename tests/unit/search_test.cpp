// Search (core/Search.h): the bridge request's parser, set/search's prefixes, the choice rule of
// play by name on hard cases, the mapping of Spotify's answer, and name folding.
#include <catch2/catch.hpp>

#include "core/Command.h"
#include "core/Search.h"
#include "core/TextFold.h"
#include "spotify/SpotifyJson.h"

using namespace s2m;
using Json = nlohmann::json;

namespace {

SearchEntry entry(SearchType type, std::string name, std::string uri) {
    SearchEntry e;
    e.type = type;
    e.name = std::move(name);
    e.uri = std::move(uri);
    return e;
}

std::string refusal(const Json& request) {
    auto parsed = parse_search_request(request);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == ErrorKind::Refused);
    return parsed.error().reason + ": " + parsed.error().message;
}

// What Spotify's search would answer for "Bad Company" over the types play by name asks for.
SearchResults bad_company() {
    SearchResults r;
    r.lists = {
        {SearchType::Artist, {entry(SearchType::Artist, "Bad Company", "spotify:artist:a1")}},
        {SearchType::Playlist,
         {entry(SearchType::Playlist, "Bad Company Radio", "spotify:playlist:p1")}},
        {SearchType::Album, {entry(SearchType::Album, "Bad Company", "spotify:album:b1")}},
        {SearchType::Show, {}},
        {SearchType::Track,
         {entry(SearchType::Track, "Bad Company", "spotify:track:t1"),
          entry(SearchType::Track, "Can't Get Enough", "spotify:track:t2")}},
    };
    return r;
}

}  // namespace

TEST_CASE("names fold by case, and by accents only when asked", "[search]") {
    CHECK(fold_case("ÉTÉ Beyoncé ÀÖŒ ΑΒΓ АБВ ЁЉ") == "été beyoncé àöœ αβγ абв ёљ");
    CHECK(fold_case_and_accents("Beyoncé") == "beyonce");
    CHECK(fold_case_and_accents("CAFÉ DEL MAR") == "cafe del mar");
    CHECK(fold_case_and_accents("Ærøskøbing Straße Łódź") == "aeroskobing strasse lodz");
    CHECK(fold_case_and_accents("Cafe\xCC\x81") == "cafe");  // decomposed é
    CHECK(fold_case_and_accents("Sigur Rós × Björk") == "sigur ros × bjork");
    // Bytes that are not UTF-8 are kept, never dropped or misread.
    CHECK(fold_case("A\xFF\xC3") == "a\xFF\xC3");
}

TEST_CASE("bridge/request/search: defaults, types as a list or text, paging", "[search]") {
    auto parsed = parse_search_request(Json{{"account", "alice"}, {"query", "  Daft Punk "}});
    REQUIRE(parsed.ok());
    CHECK(parsed->account == "alice");
    CHECK(parsed->query == SearchQuery{"Daft Punk", search_types(), 10, 0});
    parsed = parse_search_request(Json{{"account", "alice"},
                                       {"query", "x"},
                                       {"types", {"track", "ARTIST", "track"}},
                                       {"limit", 3},
                                       {"offset", "20"},
                                       {"transaction", 1}});
    REQUIRE(parsed.ok());
    CHECK(parsed->query == SearchQuery{"x", {SearchType::Track, SearchType::Artist}, 3, 20});
    parsed = parse_search_request(
        Json{{"account", "alice"}, {"query", "x"}, {"types", "show, episode"}});
    REQUIRE(parsed.ok());
    CHECK(parsed->query.types == std::vector<SearchType>{SearchType::Show, SearchType::Episode});
}

TEST_CASE("bridge/request/search: each mistake is named", "[search]") {
    Json ok{{"account", "alice"}, {"query", "x"}};
    auto with = [&](const char* key, Json value) {
        Json r = ok;
        r[key] = std::move(value);
        return r;
    };
    CHECK(refusal(Json{{"query", "x"}}).starts_with("INVALID_PAYLOAD: account must name"));
    CHECK(refusal(with("account", 5)).ends_with("got 5"));
    CHECK(refusal(Json{{"account", "alice"}}).starts_with("INVALID_PAYLOAD: query must be"));
    CHECK(refusal(with("query", "   ")) ==
          "INVALID_PAYLOAD: query is empty; say what to search for");
    CHECK(refusal(with("query", std::string(257, 'a'))).find("too long: 257 bytes") !=
          std::string::npos);
    CHECK(refusal(with("types", {"song"})) ==
          "INVALID_PAYLOAD: unknown type \"song\" in types; the types are track, artist, album, "
          "playlist, show, episode, audiobook");
    CHECK(refusal(with("types", Json::array())).starts_with("INVALID_PAYLOAD: types is empty"));
    CHECK(refusal(with("types", {1})).starts_with("INVALID_PAYLOAD: types must hold type names"));
    CHECK(refusal(with("limit", 11)) ==
          "INVALID_PAYLOAD: limit must be a whole number from 1 to 10, got 11");
    CHECK(refusal(with("limit", 0)).ends_with("got 0"));
    CHECK(refusal(with("offset", -1)) ==
          "INVALID_PAYLOAD: offset must be a whole number from 0 to 1000, got -1");
    CHECK(refusal(with("offset", "later")).ends_with("got \"later\""));
    CHECK(refusal(with("limt", 3)).starts_with("UNKNOWN_KEY: unknown key \"limt\""));
}

TEST_CASE("set/search: a type prefix, or the text as typed", "[search]") {
    CHECK(parse_name_search("artist:Daft Punk").value() ==
          NameSearch{"Daft Punk", SearchType::Artist});
    CHECK(parse_name_search(" Show:  Darknet Diaries ").value() ==
          NameSearch{"Darknet Diaries", SearchType::Show});
    CHECK(parse_name_search("Daft Punk").value() == NameSearch{"Daft Punk", std::nullopt});
    // Spotify's own filters and other colons stay part of the text.
    CHECK(parse_name_search("year:1999 prince").value() ==
          NameSearch{"year:1999 prince", std::nullopt});
    CHECK(parse_name_search("Re: Stacks").value() == NameSearch{"Re: Stacks", std::nullopt});
    CHECK(parse_name_search("track:  ").error().message ==
          "search is empty; say what to search for");
    CHECK(name_search_query({"x", SearchType::Album}) ==
          SearchQuery{"x", {SearchType::Album}, 10, 0});
    CHECK(name_search_query({"x", std::nullopt}).types ==
          std::vector<SearchType>{SearchType::Artist, SearchType::Playlist, SearchType::Album,
                                  SearchType::Show, SearchType::Track});
}

TEST_CASE("choice rule: the artist beats the track of the same name, a type takes its first",
          "[search]") {
    SearchResults r = bad_company();
    CHECK(choose_match({"bad company", std::nullopt}, r)->uri == "spotify:artist:a1");
    CHECK(choose_match({"Bad Company", SearchType::Track}, r)->uri == "spotify:track:t1");
    CHECK(choose_match({"Bad Company", SearchType::Album}, r)->uri == "spotify:album:b1");
    // Not a name of any artist, playlist, album or show: the first track.
    CHECK(choose_match({"can't get enough", std::nullopt}, r)->uri == "spotify:track:t1");
    // A type with nothing found, or nothing at all: no match.
    CHECK_FALSE(choose_match({"Bad Company", SearchType::Show}, r));
    CHECK_FALSE(choose_match({"Bad Company", SearchType::Episode}, r));
    CHECK_FALSE(choose_match({"zzqx", std::nullopt}, SearchResults{}));
}

TEST_CASE("choice rule: playlists before albums before shows, exact case before accents",
          "[search]") {
    SearchResults r;
    r.lists = {
        {SearchType::Artist, {entry(SearchType::Artist, "Beyoncé", "spotify:artist:bey")}},
        {SearchType::Playlist,
         {entry(SearchType::Playlist, "Chill Vibes", "spotify:playlist:cv"),
          entry(SearchType::Playlist, "Café del Mar", "spotify:playlist:cafe")}},
        {SearchType::Album,
         {entry(SearchType::Album, "Chill Vibes", "spotify:album:cv"),
          entry(SearchType::Album, "Cafe Del Mar", "spotify:album:cafe")}},
        {SearchType::Show, {entry(SearchType::Show, "Chill Vibes", "spotify:show:cv")}},
        {SearchType::Track, {entry(SearchType::Track, "Halo", "spotify:track:halo")}},
    };
    CHECK(choose_match({"CHILL VIBES", std::nullopt}, r)->uri == "spotify:playlist:cv");
    CHECK(choose_match({"Chill Vibes", SearchType::Show}, r)->uri == "spotify:show:cv");
    // Typed with its accent: the playlist, exactly that name. Typed without: the album, whose
    // name matches ignoring case alone, beats the playlist that needs accents ignored too.
    CHECK(choose_match({"café DEL mar", std::nullopt}, r)->uri == "spotify:playlist:cafe");
    CHECK(choose_match({"cafe del mar", std::nullopt}, r)->uri == "spotify:album:cafe");
    // A voice assistant's "Beyonce" is the artist, not her first track.
    CHECK(choose_match({"beyonce", std::nullopt}, r)->uri == "spotify:artist:bey");
    // No tracks at all: the first artist, playlist, album or show rather than nothing.
    SearchResults only_albums;
    only_albums.lists = {
        {SearchType::Album, {entry(SearchType::Album, "Discovery", "spotify:album:d")}},
        {SearchType::Track, {}}};
    CHECK(choose_match({"disc", std::nullopt}, only_albums)->uri == "spotify:album:d");
}

TEST_CASE("search answer: compact entries per type, null items skipped, errors named", "[search]") {
    Json body = Json::parse(R"({
        "tracks": {"items": [{"uri": "spotify:track:t", "name": "One More Time",
                              "artists": [{"name": "Daft Punk"}], "album": {"name": "Discovery"}}]},
        "playlists": {"items": [null, {"uri": "spotify:playlist:p", "name": "Mix",
                                       "owner": {"display_name": "Spotify"}}]},
        "audiobooks": {"items": [{"uri": "spotify:audiobook:b", "name": "Hail Mary",
                                  "authors": [{"name": "Andy Weir"}], "publisher": "Audible"}]}
    })");
    auto parsed = parse_search_results(body.dump(), {SearchType::Track, SearchType::Playlist,
                                                     SearchType::Audiobook, SearchType::Show});
    REQUIRE(parsed.ok());
    CHECK(
        results_json(parsed.value()) ==
        Json::parse(
            R"({"tracks":[{"uri":"spotify:track:t","name":"One More Time","artists":["Daft Punk"]}],
            "playlists":[{"uri":"spotify:playlist:p","name":"Mix","owner":"Spotify"}],
            "audiobooks":[{"uri":"spotify:audiobook:b","name":"Hail Mary","authors":["Andy Weir"],"publisher":"Audible"}],
            "shows":[]})"));
    auto broken =
        parse_search_results(R"({"tracks":{"items":[{"name":"no uri"}]}})", {SearchType::Track});
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.error().kind == ErrorKind::BadResponse);
    CHECK(broken.error().message.find("tracks.items[0].uri") != std::string::npos);
    CHECK_FALSE(parse_search_results(R"({"tracks":{"items":{}}})", {SearchType::Track}).ok());
    CHECK_FALSE(parse_search_results("not json", {SearchType::Track}).ok());
}
