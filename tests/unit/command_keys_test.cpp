// The command key table (core/CommandKeys.h) and the Spotify requests of spotify/Endpoints.h:
// the key names, their order and the Premium rule come from the table alone, and each builder
// gives the method and path of its operation in Spotify's Web API reference.
#include <catch2/catch.hpp>

#include <map>

#include "core/CommandKeys.h"
#include "spotify/Endpoints.h"

using namespace s2m;

TEST_CASE("command_keys and needs_premium are read from the command key table", "[command]") {
    // A value each key accepts (a new key adds one here).
    const std::map<std::string, Json> accepted = {{"snapshot", true},
                                                  {"restore", "doorbell"},
                                                  {"mute", true},
                                                  {"device", "Kitchen"},
                                                  {"play", "spotify:album:4m2880jivSbbyEGAKfITCa"},
                                                  {"playlist", "Mix"},
                                                  {"search", "artist:Daft Punk"},
                                                  {"shuffle", true},
                                                  {"repeat", "off"},
                                                  {"volume", 40},
                                                  {"volume_level", 0.4},
                                                  {"position_ms", 1000},
                                                  {"queue", "spotify:track:4uLU6hMCjMI75M1A2tKUQC"},
                                                  {"like", true},
                                                  {"create_playlist", "Road trip"},
                                                  {"add_to_playlist", "Car"},
                                                  {"remove_from_playlist", "Car"},
                                                  {"command", "pause"},
                                                  {"boost", 600}};
    std::vector<std::string> names;
    for (const CommandKey& key : command_key_table()) {
        names.emplace_back(key.name);
        CHECK(find_command_key(key.name) == &key);
        // A key that is asked for is planned; one without `asked` fills another key's member.
        CHECK((key.asked == nullptr) == (key.plan == nullptr));
        INFO(key.name);
        REQUIRE(accepted.count(key.name) == 1);
        CommandSet set;
        REQUIRE(key.parse(key.name, accepted.at(key.name), set).ok());
        CHECK(set != CommandSet{});
        if (key.asked) {
            CHECK(key.asked(set));
            CHECK(needs_premium(set) == key.needs_premium);
        }
    }
    names.emplace_back("transaction");
    CHECK(names == command_keys());
    CHECK(find_command_key("transaction") == nullptr);
    CHECK(find_command_key("Volume") == nullptr);
}

TEST_CASE("each endpoint builder names its Web API operation's method and path", "[command]") {
    auto line = [](const endpoint::Request& r) { return r.method + " " + r.path; };
    CHECK(line(endpoint::get_playback_state()) == "GET /me/player?additional_types=episode");
    CHECK(line(endpoint::get_available_devices()) == "GET /me/player/devices");
    CHECK(line(endpoint::get_my_playlists()) == "GET /me/playlists?limit=50");
    CHECK(line(endpoint::get_current_user()) == "GET /me");
    CHECK(line(endpoint::add_items_to_playlist("p1", "spotify:track:t1", "Car")) ==
          "POST /playlists/p1/items");
    CHECK(line(endpoint::remove_items_playlist("p1", "spotify:track:t1", "Car")) ==
          "DELETE /playlists/p1/items");
    CHECK(line(endpoint::create_playlist("Car", false, std::nullopt)) == "POST /me/playlists");
    CHECK(line(endpoint::get_playlist_item_uris("p1", 50)) ==
          "GET /playlists/p1/items?fields=items%28item%28uri%29%29%2Cnext&limit=50&offset=50");
    CHECK(line(*endpoint::get_context("spotify:show:5CfCWKI5pZ28U0uOzXkDHe")) ==
          "GET /shows/5CfCWKI5pZ28U0uOzXkDHe");
    CHECK_FALSE(endpoint::get_context("spotify:user:alice:collection"));
    CHECK(
        line(endpoint::search({"Café del Mar", {SearchType::Artist, SearchType::Track}, 10, 20})) ==
        "GET /search?q=Caf%C3%A9%20del%20Mar&type=artist,track&limit=10&offset=20");
    CHECK(line(endpoint::set_repeat_mode("context")) == "PUT /me/player/repeat?state=context");
    CHECK(line(endpoint::add_to_queue("spotify:track:x")) ==
          "POST /me/player/queue?uri=spotify%3Atrack%3Ax");
    CHECK(line(endpoint::remove_library_items("spotify:track:x", "One")) ==
          "DELETE /me/library?uris=spotify%3Atrack%3Ax");
    CHECK(endpoint::remove_library_items("spotify:track:x", "One").action ==
          "remove 'One' from Liked Songs");
    // {} plays what was there: no body at all, as Spotify's reference allows.
    CHECK_FALSE(endpoint::start_playback(std::nullopt, Json::object()).body);
    CHECK(line(endpoint::resume_playback(std::string("a b"))) ==
          "PUT /me/player/play?device_id=a%20b");
    auto transfer = endpoint::transfer_playback("d1", true, "Kitchen");
    CHECK(transfer.body == Json{{"device_ids", {"d1"}}, {"play", true}});
    CHECK(transfer.action == "move playback to 'Kitchen'");
    CHECK(endpoint::refresh_token_grant("r").form ==
          std::vector<std::pair<std::string, std::string>>{{"grant_type", "refresh_token"},
                                                           {"refresh_token", "r"}});
}
