#include "core/Discovery.h"

#include <map>

#include "core/CommandPlaylistEdit.h"
#include "core/StatePayload.h"

namespace s2m {

using Json = nlohmann::json;

namespace {

enum class Reads { State, Diagnostics, Queue, Recent };

// One entity of the device. `platform` is used when the account can be controlled (Premium);
// `readonly_platform` replaces it for a free account (nullptr: left out then).
struct EntitySpec {
    const char* key;  // component id and unique_id suffix; never change: HA keys history on it
    const char* name;
    const char* icon;
    const char* platform;
    const char* readonly_platform;
    const char* command;  // below <base>/<account>; nullptr: read-only
    const char* value_template;
    Reads reads;
    const char* extra;           // JSON merged in for `platform`
    const char* readonly_extra;  // JSON merged in for `readonly_platform`
};

constexpr const char* kNone = "";

// The entities (HA sorts them by name itself). Templates read the account state of
// docs/mqtt.md#account-state, in which every key is always present.
const EntitySpec kEntities[] = {
    {"track", "Track", "mdi:music", "sensor", "sensor", nullptr,
     "{{ value_json.track.name if value_json.track else None }}", Reads::State, kNone, kNone},
    {"artist", "Artist", "mdi:account-music", "sensor", "sensor", nullptr,
     "{{ value_json.track.artists | join(', ') if value_json.track else None }}", Reads::State,
     kNone, kNone},
    {"album", "Album", "mdi:album", "sensor", "sensor", nullptr,
     "{{ value_json.track.album if value_json.track else None }}", Reads::State, kNone, kNone},
    {"context", "Playing from", "mdi:playlist-music", "sensor", "sensor", nullptr,
     "{{ value_json.context.name if value_json.context else None }}", Reads::State, kNone, kNone},
    // docs/mqtt.md#up-next. Spotify Free cannot queue songs: Free accounts do not get it.
    {"up_next", "Up next", "mdi:skip-next-circle-outline", "sensor", nullptr, nullptr,
     "{{ value_json.next[0].name if value_json.next else None }}", Reads::Queue, kNone, kNone},
    // docs/mqtt.md#recent: the title played last; the list is its `played` attribute. A read
    // like Track, so Free accounts get it too.
    {"last_played", "Last played", "mdi:history", "sensor", "sensor", nullptr,
     "{{ value_json[0].item.name if value_json else None }}", Reads::Recent, kNone, kNone},
    {"playback", "Playback", "mdi:play-pause", "sensor", "sensor", nullptr,
     "{{ value_json.state }}", Reads::State,
     R"({"device_class":"enum","options":["playing","paused","idle"]})",
     R"({"device_class":"enum","options":["playing","paused","idle"]})"},
    {"cover", "Cover", "mdi:image-album", "image", "image", nullptr,
     "{{ value_json.track.album_art if value_json.track else None }}", Reads::State, kNone, kNone},
    {"play", "Play", "mdi:play", "button", nullptr, "set/command", nullptr, Reads::State,
     R"({"payload_press":"play"})", kNone},
    {"pause", "Pause", "mdi:pause", "button", nullptr, "set/command", nullptr, Reads::State,
     R"({"payload_press":"pause"})", kNone},
    {"next", "Next", "mdi:skip-next", "button", nullptr, "set/command", nullptr, Reads::State,
     R"({"payload_press":"next"})", kNone},
    {"previous", "Previous", "mdi:skip-previous", "button", nullptr, "set/command", nullptr,
     Reads::State, R"({"payload_press":"previous"})", kNone},
    // docs/mqtt.md#account-state: `liked` (null: unknown, HA's "None"). The library API works on
    // Spotify Free too. Its key is new: the "like" button it replaces is removed (kRemoved).
    {"liked", "Liked", "mdi:heart", "switch", "switch", "set/like",
     "{{ None if value_json.liked == None else ('ON' if value_json.liked else 'OFF') }}",
     Reads::State, kNone, kNone},
    // docs/mqtt-commands.md#boost: fast reads for a while, for an automation (or a person) that
    // expects music soon. A read, not control, so Spotify Free gets it too.
    {"boost", "Watch closely", "mdi:eye-outline", "button", "button", "set/boost", nullptr,
     Reads::State, R"({"payload_press":"true"})", R"({"payload_press":"true"})"},
    {"volume", "Volume", "mdi:volume-high", "number", "sensor", "set/volume",
     "{{ value_json.volume }}", Reads::State,
     R"({"min":0,"max":100,"step":1,"mode":"slider","unit_of_measurement":"%"})",
     R"({"unit_of_measurement":"%"})"},
    {"shuffle", "Shuffle", "mdi:shuffle-variant", "switch", "binary_sensor", "set/shuffle",
     "{{ 'ON' if value_json.shuffle else 'OFF' }}", Reads::State, kNone, kNone},
    {"repeat", "Repeat", "mdi:repeat", "select", "sensor", "set/repeat", "{{ value_json.repeat }}",
     Reads::State, R"({"options":["off","track","context"]})", kNone},
    {"source", "Source", "mdi:speaker", "select", "sensor", "set/device",
     "{{ value_json.device.name if value_json.device else None }}", Reads::State, kNone, kNone},
    {"playlist", "Playlist", "mdi:playlist-play", "select", nullptr, "set/playlist", nullptr,
     Reads::State, kNone, kNone},
    // Choosing a playlist files the current item there (docs/home-assistant.md);
    // only the playlists the user owns or collaborates on are offered.
    {"add_to_playlist", "Add to playlist", "mdi:playlist-plus", "select", nullptr,
     "set/add_to_playlist", nullptr, Reads::State, kNone, kNone},
    // Type a name (optionally "artist:", "album:", … first): the bridge searches and plays the
    // best match (docs/mqtt-commands.md#search); a voice assistant's text goes here too.
    {"search", "Search and play", "mdi:magnify", "text", nullptr, "set/search", nullptr,
     Reads::State, R"({"min":1,"max":255,"mode":"text"})", kNone},
    {"status", "Status", "mdi:information-outline", "sensor", "sensor", nullptr,
     "{{ value_json.status }}", Reads::Diagnostics, kNone, kNone},
    {"last_error", "Last error", "mdi:alert-circle-outline", "sensor", "sensor", nullptr,
     "{{ value_json.last_error }}", Reads::Diagnostics, kNone, kNone},
    {"rate_limited", "Rate limited", "mdi:speedometer-slow", "binary_sensor", "binary_sensor",
     nullptr, "{{ 'ON' if value_json.rate_limited else 'OFF' }}", Reads::Diagnostics, kNone, kNone},
    {"refresh_token_expiry", "Link expires", "mdi:key-chain-variant", "sensor", "sensor", nullptr,
     "{{ value_json.refresh_token_expires_at }}", Reads::Diagnostics,
     R"({"device_class":"timestamp"})", R"({"device_class":"timestamp"})"},
};

// Components earlier versions announced, with their platform. Home Assistant removes a component
// of a device discovery message that comes with its platform alone (docs/home-assistant.md#
// discovery); one that is merely left out would stay as an orphan entity. They stay in every
// message: the retained one is what a Home Assistant that was offline during the upgrade reads,
// and removing a component Home Assistant does not know does nothing.
struct RemovedComponent {
    const char* key;
    const char* platform;
};
const RemovedComponent kRemoved[] = {
    {"like", "button"},  // "Save to Liked Songs", replaced by the "Liked" switch
};

// A select over labels that commands with the value behind each label (a device id, a playlist
// URI) and shows the label of the value the state names (`current`, a Jinja expression). The
// state is matched by that value, not by its name: a label may be marked ("Kitchen
// (restricted)") or numbered ("Kitchen (2)"), and HA refuses a state that is not one of the
// options. Anything not listed shows None, which HA shows as unknown.
void add_dynamic_select(Json& component, const std::vector<std::string>& labels,
                        const std::vector<std::string>& values, const std::string& current) {
    Json label_to_value = Json::object();
    Json value_to_label = Json::object();
    for (size_t i = 0; i < labels.size(); ++i) {
        label_to_value[labels[i]] = values[i];
        // Two devices without an id and with the same name share a value: the first label shows.
        if (!value_to_label.contains(values[i])) value_to_label[values[i]] = labels[i];
    }
    component["options"] = labels;
    component["command_template"] = "{{ " + label_to_value.dump() + ".get(value, value) }}";
    component["value_template"] = "{{ " + value_to_label.dump() + ".get(" + current + ") }}";
}

}  // namespace

std::string discovery_topic(const std::string& prefix, const std::string& account) {
    return prefix + "/device/spotify2mqtt_" + account + "/config";
}

std::vector<std::string> unique_labels(const std::vector<std::string>& names) {
    std::vector<std::string> labels;
    std::map<std::string, int> seen;
    for (const std::string& name : names) {
        std::string label = name.empty() ? "(no name)" : name;
        int n = ++seen[label];
        // A later "Kitchen (2)" that really has that name must not collide either.
        while (n > 1 && seen.count(label + " (" + std::to_string(n) + ")")) ++n;
        labels.push_back(n > 1 ? label + " (" + std::to_string(n) + ")" : label);
        if (n > 1) seen[labels.back()] = 1;
    }
    return labels;
}

// What Home Assistant would make of a name for an entity id: lower case, runs of anything but
// a-z and 0-9 as one '_'.
std::string entity_slug(std::string_view text) {
    std::string slug;
    for (char c : text) {
        char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
        if (keep) {
            slug += lower;
        } else if (!slug.empty() && slug.back() != '_') {
            slug += '_';
        }
    }
    while (!slug.empty() && slug.back() == '_') slug.pop_back();
    return slug;
}

Json discovery_payload(const DiscoveryInput& in) {
    const std::string state_topic = in.base_topic + "/" + in.account;
    const std::string diagnostics_topic = state_topic + "/diagnostics";
    const std::string queue_topic = state_topic + "/queue";
    const std::string recent_topic = state_topic + "/recent";
    const std::string id = "spotify2mqtt_" + in.account;
    const bool control = in.premium.value_or(true);  // unknown yet: offer control

    // Abbreviated keys where docs/home-assistant.md#discovery names them (dev, o, cmps, p and the
    // device's own); HA expands abbreviations, so the rest stays readable.
    Json device{{"ids", {id}},
                {"name", "Spotify " + in.display_name.value_or(in.account)},
                {"mf", "Spotify"},
                {"mdl", std::string("Spotify account") +
                            (in.premium ? (*in.premium ? " (Premium)" : " (Free)") : "")},
                {"sw", in.version}};
    if (in.configuration_url) device["cu"] = *in.configuration_url;

    Json bridge_online{{"topic", in.base_topic + "/bridge/state"},
                       {"value_template", "{{ value_json.state }}"}};
    Json account_online{{"topic", state_topic + "/availability"},
                        {"value_template", "{{ value_json.state }}"}};

    std::vector<std::string> device_labels, device_values, playlist_labels, playlist_values;
    std::vector<std::string> changeable_labels, changeable_values;
    {
        std::vector<std::string> names;
        // Restricted devices stay listed, marked: choosing one answers DEVICE_NOT_CONTROLLABLE.
        for (const Device& d : in.devices)
            names.push_back(d.is_restricted ? d.name + " (restricted)" : d.name);
        device_labels = unique_labels(names);
        for (const Device& d : in.devices) device_values.push_back(d.id.value_or(d.name));
        names.clear();
        for (const Playlist& p : in.playlists) names.push_back(p.name);
        playlist_labels = unique_labels(names);
        for (const Playlist& p : in.playlists) playlist_values.push_back(p.uri);
        names.clear();
        for (const Playlist& p : in.playlists) {
            if (!in.user_id || !may_change_playlist(p, *in.user_id)) continue;
            names.push_back(p.name);
            changeable_values.push_back(p.uri);
        }
        changeable_labels = unique_labels(names);
    }

    Json components = Json::object();
    for (const EntitySpec& e : kEntities) {
        const char* platform = control ? e.platform : e.readonly_platform;
        if (!platform || (e.reads == Reads::Queue && !in.up_next)) continue;
        if (e.reads == Reads::Recent && !in.last_played) {
            // Turned off: removed, so a Home Assistant that knew it keeps no orphan entity.
            components[id + "_" + e.key] = Json{{"p", platform}};
            continue;
        }
        // Player control needs Premium; the library (set/like) and boost do not.
        const bool commands = e.command && (control || std::string(e.command) == "set/like" ||
                                            std::string(e.command) == "set/boost");
        Json c{
            {"p", platform}, {"name", e.name}, {"unique_id", id + "_" + e.key}, {"icon", e.icon}};
        // A predictable entity id from the account name (the display name, which HA would use,
        // can change and is unknown until linked), so pasted automations work (HA 2025.10+;
        // older versions ignore the key). HA uses it only when it first registers the entity.
        c["default_entity_id"] = std::string(platform) + ".spotify_" + entity_slug(in.account) +
                                 "_" + entity_slug(e.name);
        const std::string& read_from = e.reads == Reads::State         ? state_topic
                                       : e.reads == Reads::Diagnostics ? diagnostics_topic
                                       : e.reads == Reads::Queue       ? queue_topic
                                                                       : recent_topic;
        std::string value_template = e.value_template ? e.value_template : "";
        if (std::string(platform) == "image") {
            c["url_topic"] = read_from;
            c["url_template"] = value_template;
        } else if (!value_template.empty()) {
            c["state_topic"] = read_from;
            c["value_template"] = value_template;
        }
        if (commands) {
            c["command_topic"] = state_topic + "/" + e.command;
            c["qos"] = 1;
        }
        Json extra = Json::parse(control ? e.extra : e.readonly_extra, nullptr, false);
        if (extra.is_object()) c.update(extra);
        if (e.reads == Reads::Diagnostics) {
            c["entity_category"] = "diagnostic";
            // Diagnostics must stay visible when the account is offline: that is when they matter.
            c["availability"] = Json::array({bridge_online});
        }
        std::string key = e.key;
        if (key == "track") {
            c["json_attributes_topic"] = state_topic;
            c["json_attributes_template"] =
                "{{ {'artists': value_json.track.artists, 'album': value_json.track.album, "
                "'uri': value_json.track.uri, 'type': value_json.track.type} | tojson "
                "if value_json.track else '{}' }}";
        }
        if (key == "up_next") c["json_attributes_topic"] = queue_topic;  // {"next":[…]}
        if (key == "last_played") {
            // HA wants a dictionary of attributes: the topic's list goes under `played`.
            c["json_attributes_topic"] = recent_topic;
            c["json_attributes_template"] = "{{ {'played': value_json} | tojson }}";
        }
        if (commands && key == "source") {
            if (device_labels.empty()) continue;  // HA refuses a select without options
            // A device Spotify lists without an id is commanded (and so matched) by its name.
            add_dynamic_select(c, device_labels, device_values,
                               "(value_json.device.id or value_json.device.name) if "
                               "value_json.device else None");
        }
        if (commands && key == "playlist") {
            if (playlist_labels.empty()) continue;
            c["state_topic"] = state_topic;
            add_dynamic_select(c, playlist_labels, playlist_values,
                               "value_json.context.uri if value_json.context else None");
        }
        if (commands && key == "add_to_playlist") {
            if (changeable_labels.empty()) continue;
            // An action, not a setting: it never shows a choice, so the same playlist can be
            // chosen again for the next song.
            add_dynamic_select(c, changeable_labels, changeable_values, "None");
            c["state_topic"] = state_topic;
            c["value_template"] = "{{ None }}";
        }
        components[id + "_" + e.key] = std::move(c);
    }
    for (const RemovedComponent& removed : kRemoved)
        components[id + "_" + removed.key] = Json{{"p", removed.platform}};

    return Json{{"dev", device},
                {"o", {{"name", "spotify2mqtt"}, {"sw", in.version}, {"url", kProjectUrl}}},
                {"availability", Json::array({bridge_online, account_online})},
                {"availability_mode", "all"},
                {"cmps", components}};
}

Json diagnostics_payload(const Diagnostics& d, int64_t now_ms) {
    bool limited = d.rate_limited_until_ms && *d.rate_limited_until_ms > now_ms;
    return Json{{"status", d.status},
                {"last_error", d.last_error ? Json(*d.last_error) : Json(nullptr)},
                {"rate_limited", limited},
                {"rate_limited_until",
                 limited ? Json(iso8601_utc(*d.rate_limited_until_ms)) : Json(nullptr)},
                {"refresh_token_expires_at", d.refresh_token_expires_at_ms
                                                 ? Json(iso8601_utc(*d.refresh_token_expires_at_ms))
                                                 : Json(nullptr)},
                {"missing_scopes", d.missing_scopes}};
}

}  // namespace s2m
