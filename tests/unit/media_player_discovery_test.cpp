// The mqtt_media_player announcement: its config payload and the plain per-attribute values the
// bridge publishes for it under <base>/<account>/media/.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/MediaPlayerDiscovery.h"

using namespace s2m;
using Json = nlohmann::json;

namespace {

MediaPlayerInput alice() {
    MediaPlayerInput in;
    in.prefix = "homeassistant";
    in.base_topic = "spotify2mqtt";
    in.account = "alice";
    in.display_name = "Alice";
    in.version = "1.2.3";
    in.premium = true;
    return in;
}

Json playing_state() {
    return Json::parse(R"({
        "state": "playing",
        "track": {"uri": "spotify:track:t1", "name": "Song", "artists": ["A", "B"],
                  "album": "Record", "album_art": "https://i.scdn.co/image/abc",
                  "duration_ms": 215999, "type": "track"},
        "position_ms": 61900, "position_updated_at": "2026-11-22T07:30:00.123Z",
        "volume": 55, "shuffle": false, "repeat": "off",
        "device": {"id": "d1", "name": "Kitchen", "type": "Speaker", "supports_volume": true},
        "context": null, "premium": true})");
}

Json idle_state() {
    return Json::parse(R"({
        "state": "idle", "track": null, "position_ms": null, "position_updated_at": null,
        "volume": null, "shuffle": null, "repeat": null, "device": null, "context": null,
        "premium": null})");
}

}  // namespace

TEST_CASE("media player: topic and config payload for a Premium account", "[media_player]") {
    CHECK(media_player_discovery_topic("homeassistant", "alice") ==
          "homeassistant/media_player/spotify2mqtt_alice/config");

    Json expected = Json::parse(R"({
        "name": "Spotify Alice",
        "unique_id": "spotify2mqtt_alice",
        "default_entity_id": "media_player.spotify_alice",
        "device": {"identifiers": ["spotify2mqtt_alice"], "name": "Spotify Alice",
                   "manufacturer": "Spotify", "sw_version": "1.2.3"},
        "availability": {"topic": "spotify2mqtt/bridge/state",
                         "payload_available": "{\"state\":\"online\"}",
                         "payload_not_available": "{\"state\":\"offline\"}"},
        "state_state_topic": "spotify2mqtt/alice/media/state",
        "state_title_topic": "spotify2mqtt/alice/media/title",
        "state_artist_topic": "spotify2mqtt/alice/media/artist",
        "state_album_topic": "spotify2mqtt/alice/media/album",
        "state_duration_topic": "spotify2mqtt/alice/media/duration",
        "state_position_topic": "spotify2mqtt/alice/media/position",
        "state_volume_topic": "spotify2mqtt/alice/media/volume",
        "state_mute_topic": "spotify2mqtt/alice/media/mute",
        "state_mediatype_topic": "spotify2mqtt/alice/media/mediatype",
        "state_albumart_topic": "spotify2mqtt/alice/media/albumart",
        "command_play_topic": "spotify2mqtt/alice/set/command",
        "command_play_payload": "play",
        "command_pause_topic": "spotify2mqtt/alice/set/command",
        "command_pause_payload": "pause",
        "command_playpause_topic": "spotify2mqtt/alice/set/command",
        "command_playpause_payload": "toggle",
        "command_next_topic": "spotify2mqtt/alice/set/command",
        "command_next_payload": "next",
        "command_previous_topic": "spotify2mqtt/alice/set/command",
        "command_previous_payload": "previous",
        "command_volume_topic": "spotify2mqtt/alice/set/volume_level",
        "command_mute_topic": "spotify2mqtt/alice/set/mute",
        "command_playmedia_topic": "spotify2mqtt/alice/set/play"})");
    Json actual = media_player_discovery_payload(alice());
    INFO(actual.dump(2));
    CHECK(actual == expected);

    // Unknown Premium status still offers control, as the native discovery does.
    MediaPlayerInput unknown = alice();
    unknown.premium.reset();
    CHECK(media_player_discovery_payload(unknown) == expected);
}

TEST_CASE("media player: a free account is read-only, the name falls back to the account",
          "[media_player]") {
    MediaPlayerInput in = alice();
    in.premium = false;
    in.display_name.reset();
    Json payload = media_player_discovery_payload(in);
    CHECK(payload["name"] == "Spotify alice");
    CHECK(payload["device"]["name"] == "Spotify alice");
    for (const auto& [key, value] : payload.items()) {
        INFO(key);
        CHECK(key.rfind("command_", 0) != 0);
    }
    CHECK(payload["state_state_topic"] == "spotify2mqtt/alice/media/state");
}

TEST_CASE("media player: unique and entity ids come from the account name, as the device's do",
          "[media_player]") {
    MediaPlayerInput in = alice();
    in.account = "bob-2";
    in.display_name = "Robert Smith";  // may change; the ids must not depend on it
    Json payload = media_player_discovery_payload(in);
    CHECK(payload["unique_id"] == "spotify2mqtt_bob-2");  // the topic's object id
    CHECK(media_player_discovery_topic("homeassistant", "bob-2") ==
          "homeassistant/media_player/" + payload["unique_id"].get<std::string>() + "/config");
    CHECK(payload["default_entity_id"] == "media_player.spotify_bob_2");
    in.premium = false;  // a read-only player keeps them
    CHECK(media_player_discovery_payload(in)["default_entity_id"] == "media_player.spotify_bob_2");
}

TEST_CASE("media player: every state topic it announces is one the bridge fills",
          "[media_player]") {
    Json payload = media_player_discovery_payload(alice());
    std::vector<std::string> announced;
    for (const auto& [key, value] : payload.items()) {
        if (key.rfind("state_", 0) == 0) announced.push_back(value.get<std::string>());
    }
    std::vector<std::string> filled;
    for (const auto& [topic, value] :
         media_player_topics("spotify2mqtt", "alice", media_player_states(playing_state()))) {
        filled.push_back(topic);
    }
    filled.push_back("spotify2mqtt/alice/media/albumart");  // published after the download
    std::sort(announced.begin(), announced.end());
    std::sort(filled.begin(), filled.end());
    CHECK(announced == filled);
    CHECK(media_player_suffixes().size() == announced.size());
}

TEST_CASE("media player: plain values for a playing track", "[media_player]") {
    Json expected{{"state", "playing"}, {"title", "Song"},   {"artist", "A, B"},
                  {"album", "Record"},  {"duration", "215"}, {"position", "61"},
                  {"volume", "0.55"},   {"mute", "unmute"},  {"mediatype", "music"}};
    CHECK(media_player_states(playing_state()) == expected);

    auto topics = media_player_topics("spotify2mqtt", "alice", expected);
    std::vector<std::pair<std::string, std::string>> want = {
        {"spotify2mqtt/alice/media/state", "playing"},
        {"spotify2mqtt/alice/media/title", "Song"},
        {"spotify2mqtt/alice/media/artist", "A, B"},
        {"spotify2mqtt/alice/media/album", "Record"},
        {"spotify2mqtt/alice/media/duration", "215"},
        {"spotify2mqtt/alice/media/position", "61"},
        {"spotify2mqtt/alice/media/volume", "0.55"},
        {"spotify2mqtt/alice/media/mute", "unmute"},
        {"spotify2mqtt/alice/media/mediatype", "music"}};
    CHECK(topics == want);

    CHECK(media_player_albumart_url(playing_state()) == "https://i.scdn.co/image/abc");
    CHECK(media_player_albumart_payload("\xff\xd8\xff") == "/9j/");
    CHECK(media_player_albumart_payload("").empty());
}

TEST_CASE("media player: nothing playing, an episode, an offline account", "[media_player]") {
    Json idle{{"state", "idle"}, {"title", ""},      {"artist", ""},
              {"album", ""},     {"duration", ""},   {"position", ""},
              {"volume", "0"},   {"mute", "unmute"}, {"mediatype", "music"}};
    CHECK(media_player_states(idle_state()) == idle);
    CHECK_FALSE(media_player_albumart_url(idle_state()));
    // Keys missing altogether or of the wrong type read as unknown, never throw.
    CHECK(media_player_states(Json::object()) == idle);
    CHECK(media_player_states(Json::parse(R"({"state":7,"track":"x","volume":"55"})")) == idle);

    Json episode = playing_state();
    episode["state"] = "paused";
    episode["track"]["type"] = "episode";
    episode["track"]["artists"] = {"Publisher"};
    Json states = media_player_states(episode);
    CHECK(states["state"] == "paused");
    CHECK(states["mediatype"] == "podcast");
    CHECK(states["artist"] == "Publisher");

    Json offline = media_player_states(playing_state(), false);
    CHECK(offline["state"] == "off");
    CHECK(offline["title"] == "Song");
}

TEST_CASE("media player: volume as the component's 0.0-1.0 level", "[media_player]") {
    auto level = [](Json volume) {
        Json state = idle_state();
        state["volume"] = std::move(volume);
        return media_player_states(state)["volume"].get<std::string>();
    };
    CHECK(level(0) == "0");
    CHECK(level(7) == "0.07");
    CHECK(level(50) == "0.5");
    CHECK(level(55) == "0.55");
    CHECK(level(99) == "0.99");
    CHECK(level(100) == "1");
    CHECK(level(49.6) == "0.5");
    CHECK(level(-3) == "0");
    CHECK(level(250) == "1");
}

TEST_CASE("media player: muted is volume 0, as Spotify has no mute of its own", "[media_player]") {
    auto mute = [](Json volume) {
        Json state = idle_state();
        state["volume"] = std::move(volume);
        return media_player_states(state)["mute"].get<std::string>();
    };
    CHECK(mute(0) == "mute");
    CHECK(mute(0.4) == "mute");
    CHECK(mute(1) == "unmute");
    CHECK(mute(55) == "unmute");
    CHECK(mute(nullptr) == "unmute");  // unknown: not claimed to be muted
    CHECK(mute("0") == "unmute");
}
