// Home Assistant discovery: golden payloads for a Premium, a free and a re-link account, checked
// against HA's rules by the validator, and the label rules of the pickers.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <set>

#include "HaDiscoveryValidator.h"
#include "HaTemplate.h"
#include "TestSupport.h"
#include "core/CommandBoost.h"
#include "core/Discovery.h"
#include "core/StatePayload.h"

using namespace s2m;
using Json = nlohmann::json;

namespace {

Device discovered_device(std::string id, std::string name, bool restricted = false) {
    Device d;
    d.id = std::move(id);
    d.name = std::move(name);
    d.type = "Speaker";
    d.is_restricted = restricted;
    d.supports_volume = !restricted;
    return d;
}

DiscoveryInput premium_input() {
    DiscoveryInput in;
    in.prefix = "homeassistant";
    in.base_topic = "spotify2mqtt";
    in.account = "alice";
    in.display_name = "Alice";
    in.premium = true;
    in.devices = {discovered_device("k1", "Kitchen"), discovered_device("k2", "Kitchen"),
                  discovered_device("s1", "Sonos", true)};
    in.playlists = {{"spotify:playlist:p1", "Morning", "Alice", 12},
                    {"spotify:playlist:p2", "Road \"Trip\"", "Bob", 40}};
    // Alice owns Morning; Bob's Road "Trip" is only followed: "Add to playlist" offers Morning.
    in.playlists[0].owner_id = "alice";
    in.playlists[1].owner_id = "bob";
    in.user_id = "alice";
    in.configuration_url = "http://127.0.0.1:8888/";
    in.version = "1.2.3";
    return in;
}

// Compares with tests/fixtures/discovery/<name>.json; S2M_UPDATE_GOLDEN=1 rewrites the file.
void check_golden(const std::string& name, const Json& actual) {
    const std::string relative = "discovery/" + name + ".json";
    if (std::getenv("S2M_UPDATE_GOLDEN")) {
        std::ofstream(std::string(FIXTURES_DIR) + "/" + relative) << actual.dump(2) << "\n";
    }
    Json expected = s2m::test::fixture_json(relative);
    INFO("golden " << relative << " (S2M_UPDATE_GOLDEN=1 rewrites it)\n" << actual.dump(2));
    CHECK(actual == expected);
}

PlaybackState playing_on(std::optional<Device> device, std::optional<PlaybackContext> context,
                         std::string repeat) {
    PlaybackState s;
    s.state = PlayerState::Playing;
    s.track = Track{"spotify:track:t1", "Song", {"Artist"}, "Album", std::nullopt, 180000};
    s.position_ms = 1000;
    s.volume = 40;
    s.shuffle = false;
    s.repeat = std::move(repeat);
    s.device = std::move(device);
    s.context = std::move(context);
    s.premium = true;
    return s;
}

// The account states the bridge publishes for `in` (through the bridge's own state_payload), and
// what the source, playlist and repeat selects must show for each. Expectations for a select the
// payload does not have (a free account, or no devices or playlists known yet) are left out.
std::vector<s2m::test::PublishedState> published_states(const DiscoveryInput& in,
                                                        const Json& payload) {
    using Shows = std::map<std::string, std::optional<std::string>>;
    const std::string source = "spotify2mqtt_alice_source";
    const std::string playlist = "spotify2mqtt_alice_playlist";
    const std::string repeat = "spotify2mqtt_alice_repeat";
    const PlaybackContext morning{"spotify:playlist:p1", "playlist", "Morning"};
    const PlaybackContext road{"spotify:playlist:p2", "playlist", "Road \"Trip\""};
    const PlaybackContext album{"spotify:album:a1", "album", "Some Album"};
    // A re-link account lists no devices yet; Spotify still reports where it plays.
    const std::vector<Device> known = in.devices.size() >= 3 ? in.devices : premium_input().devices;
    Device not_listed = discovered_device("tv-9", "Bedroom TV");

    struct Case {
        std::string what;
        PlaybackState state;
        Shows shows;
    };
    std::vector<Case> cases = {
        {"nothing playing", PlaybackState{}, {{source, {}}, {playlist, {}}, {repeat, {}}}},
        {"playing on the first Kitchen from Morning",
         playing_on(known[0], morning, "off"),
         {{source, "Kitchen"}, {playlist, "Morning"}, {repeat, "off"}}},
        {"playing on the second Kitchen from Road \"Trip\"",
         playing_on(known[1], road, "track"),
         {{source, "Kitchen (2)"}, {playlist, "Road \"Trip\""}, {repeat, "track"}}},
        {"playing on the restricted Sonos from an album",
         playing_on(known[2], album, "context"),
         {{source, "Sonos (restricted)"}, {playlist, {}}, {repeat, "context"}}},
        {"playing on a device that is not listed, from a playlist that is not listed",
         playing_on(not_listed, PlaybackContext{"spotify:playlist:zz", "playlist", "Other"}, "off"),
         {{source, {}}, {playlist, {}}}},
        {"paused on Kitchen from Morning, whose name Spotify did not give",
         playing_on(known[0], PlaybackContext{morning.uri, "playlist", std::nullopt}, "off"),
         {{source, "Kitchen"}, {playlist, "Morning"}}},
    };
    cases.back().state.state = PlayerState::Paused;
    if (in.devices.size() > 3 && !in.devices[3].id) {
        cases.push_back({"playing on a listed device without an id",
                         playing_on(in.devices[3], std::nullopt, "off"),
                         {{source, in.devices[3].name}, {playlist, {}}}});
    }
    std::vector<s2m::test::PublishedState> states;
    for (Case& c : cases) {
        // An action, not a setting: Add to playlist never shows a choice.
        c.shows.emplace("spotify2mqtt_alice_add_to_playlist", std::nullopt);
        std::erase_if(c.shows, [&](const auto& entry) {
            const Json& cmps = payload["cmps"];
            return !cmps.contains(entry.first) || cmps[entry.first]["p"] != "select";
        });
        states.push_back(
            {c.what, in.base_topic + "/" + in.account, state_payload(c.state).dump(), c.shows});
    }
    return states;
}

void check_valid(const DiscoveryInput& in) {
    Json payload = discovery_payload(in);
    auto problems =
        s2m::test::validate_device_discovery(discovery_topic(in.prefix, in.account), payload);
    for (const auto& problem : problems) UNSCOPED_INFO(problem);
    CHECK(problems.empty());
    auto wrong = s2m::test::check_select_states(payload, published_states(in, payload));
    for (const auto& problem : wrong) UNSCOPED_INFO(problem);
    CHECK(wrong.empty());
}

}  // namespace

TEST_CASE("a Premium account's discovery matches the golden payload and HA's rules",
          "[discovery]") {
    DiscoveryInput in = premium_input();
    CHECK(discovery_topic(in.prefix, in.account) ==
          "homeassistant/device/spotify2mqtt_alice/config");
    Json payload = discovery_payload(in);
    check_golden("premium", payload);
    check_valid(in);
    const Json& source = payload["cmps"]["spotify2mqtt_alice_source"];
    CHECK(source["options"] == Json{"Kitchen", "Kitchen (2)", "Sonos (restricted)"});
    CHECK(source["command_topic"] == "spotify2mqtt/alice/set/device");
    CHECK(payload["cmps"]["spotify2mqtt_alice_volume"]["qos"] == 1);
    CHECK(payload["cmps"]["spotify2mqtt_alice_search"]["command_topic"] ==
          "spotify2mqtt/alice/set/search");
}

TEST_CASE("Add to playlist offers the user's own and collaborative playlists and shows no choice",
          "[discovery]") {
    DiscoveryInput in = premium_input();
    Playlist party{"spotify:playlist:p3", "Party", "Carol", 5, "carol", true};
    in.playlists.push_back(party);
    Json payload = discovery_payload(in);
    check_valid(in);
    const Json& add = payload["cmps"]["spotify2mqtt_alice_add_to_playlist"];
    CHECK(add["p"] == "select");
    CHECK(add["name"] == "Add to playlist");
    CHECK(add["options"] == Json{"Morning", "Party"});  // not Bob's Road "Trip"
    CHECK(add["command_topic"] == "spotify2mqtt/alice/set/add_to_playlist");
    CHECK(
        add["command_template"] ==
        R"({{ {"Morning":"spotify:playlist:p1","Party":"spotify:playlist:p3"}.get(value, value) }})");
    CHECK(add["value_template"] == "{{ None }}");

    // Not known whose account it is, or nothing it may change: no select (HA refuses one
    // without options).
    in.user_id.reset();
    in.playlists.pop_back();
    CHECK_FALSE(discovery_payload(in)["cmps"].contains("spotify2mqtt_alice_add_to_playlist"));
    in.premium = false;
    in.user_id = "alice";
    CHECK_FALSE(discovery_payload(in)["cmps"].contains("spotify2mqtt_alice_add_to_playlist"));
}

TEST_CASE("a free account gets read-only entities only", "[discovery]") {
    DiscoveryInput in = premium_input();
    in.premium = false;
    Json payload = discovery_payload(in);
    check_golden("free", payload);
    check_valid(in);
    for (const auto& [id, component] : payload["cmps"].items()) {
        INFO(id);
        if (id == "spotify2mqtt_alice_liked") continue;  // the library API works on Free
        if (id == "spotify2mqtt_alice_boost") continue;  // a read, not control
        if (component.size() == 1) continue;             // a removed component: its platform only
        CHECK_FALSE(component.contains("command_topic"));
        CHECK(component["p"] != "button");
        CHECK(component["p"] != "select");
        CHECK(component["p"] != "text");
    }
    CHECK_FALSE(payload["cmps"].contains("spotify2mqtt_alice_search"));  // play by name is control
    CHECK(payload["dev"]["mdl"] == "Spotify account (Free)");
}

TEST_CASE("an account that must be linked again stays announced with its diagnostics",
          "[discovery]") {
    DiscoveryInput in = premium_input();
    in.devices.clear();  // nothing fetched: the pickers wait for options
    in.playlists.clear();
    in.configuration_url.reset();
    Json payload = discovery_payload(in);
    check_golden("relink", payload);
    check_valid(in);
    CHECK_FALSE(payload["cmps"].contains("spotify2mqtt_alice_source"));
    // Diagnostics only need the bridge online, so they explain an offline account.
    CHECK(payload["cmps"]["spotify2mqtt_alice_status"]["availability"].size() == 1);
    Diagnostics d{"reauth_required", "Spotify refused the refresh token (invalid_grant)",
                  std::nullopt, 1763796600000};
    check_golden("relink-diagnostics", diagnostics_payload(d, 1763796600000));
}

TEST_CASE("every select shows the option of what plays, whatever its label", "[discovery]") {
    DiscoveryInput in = premium_input();
    Device phone = discovered_device("", "Phone");
    phone.id.reset();  // Spotify hides some devices' ids
    in.devices.push_back(phone);
    in.playlists.push_back({"spotify:playlist:p3", "Morning", "Bob", 3});  // a second "Morning"
    Json payload = discovery_payload(in);
    CHECK(payload["cmps"]["spotify2mqtt_alice_playlist"]["options"] ==
          Json{"Morning", "Road \"Trip\"", "Morning (2)"});
    auto states = published_states(in, payload);
    PlaybackState second_morning = playing_on(
        in.devices[0], PlaybackContext{"spotify:playlist:p3", "playlist", "Morning"}, "off");
    states.push_back({"playing from the second Morning",
                      "spotify2mqtt/alice",
                      state_payload(second_morning).dump(),
                      {{"spotify2mqtt_alice_playlist", "Morning (2)"},
                       {"spotify2mqtt_alice_add_to_playlist", std::nullopt}}});
    auto problems = s2m::test::check_select_states(payload, states);
    for (const auto& problem : problems) UNSCOPED_INFO(problem);
    CHECK(problems.empty());
    // The free account has no selects, the re-link one only repeat: check_valid covers them.
    check_valid(in);
}

TEST_CASE("picker labels are unique and stable", "[discovery]") {
    CHECK(unique_labels({"A", "B", "A", "A"}) ==
          std::vector<std::string>{"A", "B", "A (2)", "A (3)"});
    CHECK(unique_labels({"A", "A (2)", "A"}) == std::vector<std::string>{"A", "A (2)", "A (3)"});
    CHECK(unique_labels({""}) == std::vector<std::string>{"(no name)"});
}

TEST_CASE("the same input gives the same bytes", "[discovery]") {
    CHECK(discovery_payload(premium_input()).dump() == discovery_payload(premium_input()).dump());
}

TEST_CASE("entity ids come from the account name, one per entity, as HA writes ids",
          "[discovery]") {
    CHECK(entity_slug("Save to Liked Songs") == "save_to_liked_songs");
    CHECK(entity_slug("kitchen-2") == "kitchen_2");
    CHECK(entity_slug("  Playing   from! ") == "playing_from");
    CHECK(entity_slug("") == "");

    DiscoveryInput in = premium_input();
    in.account = "bob-2";
    in.display_name = "Robert Smith";  // may change; ids must not depend on it
    Json components = discovery_payload(in)["cmps"];
    std::set<std::string> ids;
    for (const auto& [key, component] : components.items()) {
        INFO(key << ": " << component.dump());
        if (component.size() == 1) continue;  // a removed component: its platform only
        REQUIRE(component.contains("default_entity_id"));
        std::string id = component["default_entity_id"];
        CHECK_THAT(id, Catch::Matches(R"([a-z_]+\.spotify_bob_2_[a-z0-9_]+)"));
        CHECK(id.substr(0, id.find('.')) == component["p"].get<std::string>());
        ids.insert(id);
    }
    CHECK(ids.size() == components.size() - 1);  // all but the removed "like" button
    CHECK(components["spotify2mqtt_bob-2_track"]["default_entity_id"] ==
          "sensor.spotify_bob_2_track");
    CHECK(components["spotify2mqtt_bob-2_liked"]["default_entity_id"] ==
          "switch.spotify_bob_2_liked");
}

TEST_CASE("Liked is a switch on the state's liked, for Premium and Free, commanding set/like",
          "[discovery][liked]") {
    for (bool premium : {true, false}) {
        DiscoveryInput in = premium_input();
        in.premium = premium;
        INFO("premium " << premium);
        Json liked = discovery_payload(in)["cmps"]["spotify2mqtt_alice_liked"];
        CHECK(liked["p"] == "switch");
        CHECK(liked["name"] == "Liked");
        CHECK(liked["unique_id"] == "spotify2mqtt_alice_liked");
        CHECK(liked["state_topic"] == "spotify2mqtt/alice");
        CHECK(liked["command_topic"] == "spotify2mqtt/alice/set/like");
        CHECK(liked["qos"] == 1);
        CHECK_FALSE(liked.contains("payload_on"));  // HA's ON/OFF, which set/like takes
        // What HA's switch makes of each state: ON, OFF, and "None" (unknown) when null.
        const std::string tpl = liked["value_template"];
        PlaybackState playing = playing_on(in.devices[0], std::nullopt, "off");
        CHECK(s2m::test::render_ha_template(tpl, state_payload(playing, true).dump()) == "ON");
        CHECK(s2m::test::render_ha_template(tpl, state_payload(playing, false).dump()) == "OFF");
        CHECK(s2m::test::render_ha_template(tpl, state_payload(playing).dump()) == "None");
        CHECK(s2m::test::render_ha_template(tpl, state_payload(PlaybackState{}, true).dump()) ==
              "None");  // idle: nothing plays, so nothing is liked
    }
}

TEST_CASE("Watch closely is a button sending set/boost, for Premium and Free",
          "[discovery][boost]") {
    // docs/home-assistant.md: a boost only makes the bridge read more often, which Spotify Free
    // allows; it controls nothing.
    for (bool premium : {true, false}) {
        DiscoveryInput in = premium_input();
        in.premium = premium;
        INFO("premium " << premium);
        Json boost = discovery_payload(in)["cmps"]["spotify2mqtt_alice_boost"];
        CHECK(boost["p"] == "button");
        CHECK(boost["name"] == "Watch closely");
        CHECK(boost["unique_id"] == "spotify2mqtt_alice_boost");
        CHECK(boost["default_entity_id"] == "button.spotify_alice_watch_closely");
        CHECK(boost["command_topic"] == "spotify2mqtt/alice/set/boost");
        CHECK(boost["payload_press"] == "true");  // the default length (900 s)
        CHECK(boost["qos"] == 1);
        CHECK_FALSE(boost.contains("state_topic"));
        check_valid(in);
    }
    // What the button sends is a boost of the default length.
    CommandParse pressed = parse_command("boost", "true");
    REQUIRE(pressed.ok());
    CHECK(pressed.commands().boost_s == kDefaultBoostS);
}

TEST_CASE("the old Save to Liked Songs button is removed by its platform alone, in every message",
          "[discovery][liked]") {
    // Home Assistant's rule (docs/home-assistant.md#discovery): a component of a device
    // discovery message with only `p` is removed; a left-out one would stay as an orphan.
    for (bool premium : {true, false}) {
        DiscoveryInput in = premium_input();
        in.premium = premium;
        Json cmps = discovery_payload(in)["cmps"];
        CHECK(cmps["spotify2mqtt_alice_like"] == Json{{"p", "button"}});
        size_t removals = 0;
        for (const auto& [id, component] : cmps.items()) removals += component.size() == 1;
        CHECK(removals == 1);
    }
    // The validator takes it as a removal: no unique_id or other keys needed.
    auto problems = s2m::test::validate_device_discovery(discovery_topic("homeassistant", "alice"),
                                                         discovery_payload(premium_input()));
    CHECK(problems.empty());
}
