#include "core/MediaPlayerDiscovery.h"

#include <cmath>

#include "core/Discovery.h"
#include "core/Encoding.h"

namespace s2m {

using Json = nlohmann::json;

namespace {

const Json* field(const Json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

std::string text(const Json& object, const char* key) {
    const Json* value = field(object, key);
    return value && value->is_string() ? value->get<std::string>() : std::string();
}

std::optional<double> number(const Json& object, const char* key) {
    const Json* value = field(object, key);
    if (!value || !value->is_number()) return std::nullopt;
    double n = value->get<double>();
    if (!std::isfinite(n)) return std::nullopt;
    return n;
}

// Whole seconds (rounded down, so the position never passes the duration); "" when unknown.
std::string seconds(const Json& object, const char* key) {
    auto ms = number(object, key);
    if (!ms || *ms < 0) return "";
    return std::to_string(static_cast<int64_t>(*ms / 1000.0));
}

// 0–100 → the component's 0.0–1.0 as short text: 55 → "0.55", 50 → "0.5", 7 → "0.07".
std::string volume_level(const Json& state) {
    auto volume = number(state, "volume");
    if (!volume) return "0";
    long v = std::lround(*volume);
    if (v <= 0) return "0";
    if (v >= 100) return "1";
    std::string digits = (v < 10 ? "0" : "") + std::to_string(v);
    if (digits.back() == '0') digits.pop_back();
    return "0." + digits;
}

bool muted(const Json& state) {
    auto volume = number(state, "volume");
    return volume && std::lround(*volume) <= 0;
}

std::string joined(const Json& track, const char* key) {
    const Json* list = field(track, key);
    if (!list || !list->is_array()) return "";
    std::string out;
    for (const Json& item : *list) {
        if (!item.is_string()) continue;
        if (!out.empty()) out += ", ";
        out += item.get<std::string>();
    }
    return out;
}

// Home Assistant has no audiobook media type: spoken word (episodes, chapters) is "podcast".
const char* media_type_of(const std::string& item_type) {
    return item_type == "episode" || item_type == "chapter" ? "podcast" : "music";
}

}  // namespace

std::string media_player_discovery_topic(const std::string& prefix, const std::string& account) {
    return prefix + "/media_player/spotify2mqtt_" + account + "/config";
}

std::string media_player_state_base(const std::string& base_topic, const std::string& account) {
    return base_topic + "/" + account + "/media";
}

const std::vector<std::string>& media_player_suffixes() {
    static const std::vector<std::string> suffixes = {"state",     "title",    "artist", "album",
                                                      "duration",  "position", "volume", "mute",
                                                      "mediatype", "albumart"};
    return suffixes;
}

Json media_player_discovery_payload(const MediaPlayerInput& in) {
    const std::string id = "spotify2mqtt_" + in.account;
    const std::string name = "Spotify " + in.display_name.value_or(in.account);
    const std::string media = media_player_state_base(in.base_topic, in.account);
    const std::string set = in.base_topic + "/" + in.account + "/set/";

    // The component reads full key names only (no abbreviations). Its device block joins the
    // player to the device of the native discovery (same identifier, name and manufacturer; no
    // model, so the native one's "(Premium)/(Free)" is not overwritten).
    Json payload{
        {"name", name},
        // The id the component itself keys the entity on (the topic's object id), so a version
        // that reads the key keeps the entity it registered; with it HA lets the user rename it.
        {"unique_id", id},
        // As the device discovery's ids: from the account name, which (unlike the display name)
        // the user chose and the README's examples use (HA 2025.10+ reads the key).
        {"default_entity_id", "media_player.spotify_" + entity_slug(in.account)},
        {"device",
         {{"identifiers", {id}},
          {"name", name},
          {"manufacturer", "Spotify"},
          {"sw_version", in.version}}},
        // The bridge publishes exactly these two strings, the second as its MQTT will.
        {"availability",
         {{"topic", in.base_topic + "/bridge/state"},
          {"payload_available", R"({"state":"online"})"},
          {"payload_not_available", R"({"state":"offline"})"}}},
    };
    for (const std::string& suffix : media_player_suffixes()) {
        payload["state_" + suffix + "_topic"] = media + "/" + suffix;
    }
    if (in.premium.value_or(true)) {
        const std::string command_topic = set + kMediaPlayerCommandKey;
        const std::pair<const char*, const char*> commands[] = {{"play", "play"},
                                                                {"pause", "pause"},
                                                                {"playpause", "toggle"},
                                                                {"next", "next"},
                                                                {"previous", "previous"}};
        for (const auto& [command, payload_text] : commands) {
            payload[std::string("command_") + command + "_topic"] = command_topic;
            payload[std::string("command_") + command + "_payload"] = payload_text;
        }
        payload["command_volume_topic"] = set + kMediaPlayerVolumeKey;
        payload["command_mute_topic"] = set + kMediaPlayerMuteKey;
        payload["command_playmedia_topic"] = set + kMediaPlayerPlayMediaKey;
    }
    return payload;
}

Json media_player_states(const Json& state, bool account_online) {
    static const Json kNoTrack = Json::object();
    const Json* track_field = field(state, "track");
    const Json& track = track_field && track_field->is_object() ? *track_field : kNoTrack;

    std::string player = text(state, "state");
    if (player != "playing" && player != "paused") player = "idle";
    if (!account_online) player = "off";

    return Json{{"state", player},
                {"title", text(track, "name")},
                {"artist", joined(track, "artists")},
                {"album", text(track, "album")},
                {"duration", seconds(track, "duration_ms")},
                {"position", seconds(state, "position_ms")},
                {"volume", volume_level(state)},
                {"mute", muted(state) ? "mute" : "unmute"},
                {"mediatype", media_type_of(text(track, "type"))}};
}

std::vector<std::pair<std::string, std::string>> media_player_topics(const std::string& base_topic,
                                                                     const std::string& account,
                                                                     const Json& states) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!states.is_object()) return out;
    const std::string media = media_player_state_base(base_topic, account);
    for (const std::string& suffix : media_player_suffixes()) {
        auto it = states.find(suffix);
        if (it == states.end() || !it->is_string()) continue;
        out.emplace_back(media + "/" + suffix, it->get<std::string>());
    }
    return out;
}

std::optional<std::string> media_player_albumart_url(const Json& state) {
    const Json* track = field(state, "track");
    if (!track) return std::nullopt;
    std::string url = text(*track, "album_art");
    if (url.empty()) return std::nullopt;
    return url;
}

std::string media_player_albumart_payload(std::string_view image_bytes) {
    return base64_encode(image_bytes);
}

}  // namespace s2m
