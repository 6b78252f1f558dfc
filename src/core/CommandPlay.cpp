// Commands (docs/mqtt-commands.md#play): play and playlist, the two keys that start playback: their
// values and their plans (declared in CommandValues.h, rows of the command key table in
// CommandKeys.cpp). play is the one key with a nested object, so it gets a file of its own.
//
//   play      a spotify: URI or open.spotify.com link, "liked", "your_episodes", or an object
//             {uri | uris | search, device, offset, position_ms}; media_id stands for uri and
//             media_type (a string, not used) may come with it, as Home Assistant's play_media
//             sends them; search (with type) plays by name (CommandSearch.cpp)
//   playlist  a playlist link, or a playlist name (1–256 bytes) from the playlists topic
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/CommandPlanning.h"
#include "core/CommandValues.h"
#include "core/Encoding.h"
#include "spotify/Endpoints.h"

namespace s2m::command_values {

namespace {

constexpr int64_t kMaxOffsetIndex = 1'000'000;

// play as text: "liked", "your_episodes" or a link. Tracks, episodes and chapters are items
// (played as `uris`); albums, playlists, artists, shows, audiobooks and the two collections are
// contexts (docs/mqtt-commands.md#play).
Status play_from_text(const std::string& name, const Json& value, PlayTarget& out) {
    const char* what = "a Spotify URI or open.spotify.com link, \"liked\" or \"your_episodes\"";
    auto read = text_of(name, what, value);
    if (!read) return read.error();
    std::string_view text = read.value();
    std::string word = ascii_lowercase(text);
    if (word == "liked" || word == "your_episodes") {
        (word == "liked" ? out.liked : out.your_episodes) = true;
        return ok_status();
    }
    std::string why;
    auto link = parse_spotify_link(text, &why);
    if (!link) return invalid(name + " takes " + what + "; " + quote(text) + " is not one: " + why);
    if (is_item(*link)) {
        out.uris = {player_uri(*link)};
    } else if (link->type == "collection" && link->uri.empty()) {
        out.liked = true;
    } else if (link->type == "your_episodes" && link->uri.empty()) {
        out.your_episodes = true;
    } else {
        out.context_uri = link->uri;
    }
    return ok_status();
}

const std::vector<std::string>& play_keys() {
    static const std::vector<std::string> keys = {"uri",        "uris",        "device",
                                                  "offset",     "position_ms", "media_id",
                                                  "media_type", "search",      "type"};
    return keys;
}

Status parse_offset(const Json& value, PlayOffset& out) {
    const std::string name = "play.offset";
    if (value.is_string() && !number_from_text(value.get_ref<const std::string&>())) {
        std::string_view text = trim(value.get_ref<const std::string&>());
        std::string why;
        auto link = parse_spotify_link(text, &why);
        if (!link) {
            return invalid(name + " must be an index from 0 or a track, episode or chapter link; " +
                           quote(text) + " is neither: " + why);
        }
        return assign(out.uri, item_of(name, value));
    }
    out.position = whole_number(value, 0, kMaxOffsetIndex);
    if (out.position) return ok_status();
    return invalid(name + " must be an index from 0 to " + std::to_string(kMaxOffsetIndex) +
                   " or a track, episode or chapter link, got " + describe(value));
}

Status play_from_object(const Json& object, PlayTarget& out) {
    for (const auto& [key, member] : object.items()) {
        const auto& keys = play_keys();
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            return CommandError(reason::kUnknownKey, "unknown key " + quote("play." + key) +
                                                         "; play understands " + join(keys, ", "));
        }
    }
    if (object.empty()) {
        return invalid(
            "play must not be an empty object; give uri, uris, search or device (with optional "
            "offset and position_ms), or a link");
    }
    if (auto read = search_from_object(object, out); !read) return read;
    int sources = static_cast<int>(object.contains("uri")) +
                  static_cast<int>(object.contains("uris")) +
                  static_cast<int>(object.contains("media_id"));
    if (sources > 1) {
        return invalid("play.uri, play.uris and play.media_id cannot be combined; use one of them");
    }
    if (object.contains("media_type") && !object.at("media_type").is_string()) {
        return invalid("play.media_type must be a string such as \"music\", got " +
                       describe(object.at("media_type")));
    }
    if (object.contains("media_type") && !object.contains("media_id")) {
        return invalid("play.media_type needs play.media_id: it describes what media_id names");
    }
    // Home Assistant's play_media sends {media_id, media_type}; the link says what it is, so
    // media_type is only checked to be text.
    for (const char* key : {"uri", "media_id"}) {
        if (!object.contains(key)) continue;
        if (auto read = play_from_text(std::string("play.") + key, object.at(key), out); !read) {
            return read;
        }
    }
    if (object.contains("uris")) {
        const Json& uris = object.at("uris");
        if (!uris.is_array()) {
            return invalid("play.uris must be an array of track, episode or chapter links, got " +
                           describe(uris));
        }
        if (uris.empty() || uris.size() > kMaxPlayUris) {
            return invalid("play.uris must hold 1 to " + std::to_string(kMaxPlayUris) +
                           " track, episode or chapter links, got " + std::to_string(uris.size()));
        }
        for (size_t i = 0; i < uris.size(); ++i) {
            auto uri = item_of("play.uris[" + std::to_string(i) + "]", uris[i]);
            if (!uri) return uri.error();
            out.uris.push_back(std::move(uri.value()));
        }
    }
    if (object.contains("device")) {
        if (auto read = assign(out.device, device_of("play.device", object.at("device"))); !read) {
            return read;
        }
    }
    if (object.contains("offset")) {
        if (!out.liked && !out.your_episodes && !out.context_uri && out.uris.empty()) {
            return invalid(
                "play.offset needs play.uri, play.uris or play.media_id: it says where to start "
                "in what they name");
        }
        if (!object.contains("uris") && out.uris.size() == 1) {
            return invalid(
                "play.offset says where to start in an album, playlist, artist, show, audiobook, "
                "Liked Songs, Your Episodes or a list in play.uris; " +
                quote(out.uris.front()) + " is a single item (use position_ms to start inside it)");
        }
        PlayOffset offset;
        if (auto read = parse_offset(object.at("offset"), offset); !read) return read;
        out.offset = std::move(offset);
    }
    if (object.contains("position_ms")) {
        return assign(out.position_ms, position_of("play.position_ms", object.at("position_ms")));
    }
    return ok_status();
}

// Text meant as a link rather than a playlist name (so a broken link is explained, not looked up
// by name).
bool looks_like_link(std::string_view text) {
    std::string low = ascii_lowercase(text);
    return low.rfind("spotify:", 0) == 0 || low.rfind("http://", 0) == 0 ||
           low.rfind("https://", 0) == 0 || low.rfind("open.spotify.com/", 0) == 0 ||
           low.rfind("play.spotify.com/", 0) == 0 || low.rfind("spotify.link/", 0) == 0 ||
           low.rfind("spotify.app.link/", 0) == 0;
}

}  // namespace

Status parse_play(const std::string& name, const Json& value, CommandSet& out) {
    PlayTarget target;
    if (value.is_object()) {
        if (auto read = play_from_object(value, target); !read) return read;
    } else if (value.is_string()) {
        if (auto read = play_from_text(name, value, target); !read) return read;
    } else {
        return invalid(
            "play takes a Spotify URI or open.spotify.com link, \"liked\", \"your_episodes\", or "
            "an object such as {\"uri\":\"spotify:album:…\",\"device\":\"Kitchen\"}, got " +
            describe(value));
    }
    out.play = std::move(target);
    return ok_status();
}

Result<PlaylistRef> playlist_ref_of(const std::string& name, const Json& value) {
    auto read = text_of(name, "a playlist name or playlist link", value);
    if (!read) return read.error();
    std::string_view text = read.value();
    std::string why;
    auto link = parse_spotify_link(text, &why);
    PlaylistRef ref;
    if (link) {
        if (link->type != "playlist") {
            return invalid(
                name +
                " takes a playlist name or playlist link; use play for albums, artists, "
                "shows, audiobooks, tracks, episodes, chapters, Liked Songs and Your Episodes (" +
                quote(text) + " is " + kind_of(*link) + " link)");
        }
        ref.uri = link->uri;
    } else if (looks_like_link(text)) {
        return invalid(name + ": " + quote(text) + " is not a playlist link: " + why);
    } else {
        auto playlist_name = name_of(name, "a playlist name or playlist link", value);
        if (!playlist_name) return playlist_name.error();
        ref.name = std::move(playlist_name.value());
    }
    return ref;
}

Status parse_playlist(const std::string& name, const Json& value, CommandSet& out) {
    return assign(out.playlist, playlist_ref_of(name, value));
}

// The device: play.device, else the message's device (Planning::start_on), else where playback
// can start. Liked Songs and Your Episodes need the user id, so the profile is read first when it
// is not known.
bool plan_play(const CommandSet& commands, Planning& planning) {
    const PlayTarget& play = *commands.play;
    nlohmann::json body = nlohmann::json::object();
    // Searched first: NOT_FOUND needs no device.
    if (play.search && !plan_found(*play.search, planning, body)) return false;
    std::optional<Device> device;
    if (play.device && !planning.resolve_device(*play.device, device)) return false;
    if (!device) device = planning.start_device();
    if (!planning.playback_device(device)) return false;
    if (play.liked || play.your_episodes) {
        const auto& user_id = planning.known().user_id;
        if (!user_id) return planning.stop(Refresh::Profile);
        body["context_uri"] =
            "spotify:user:" + *user_id + (play.liked ? ":collection" : ":collection:your-episodes");
    } else if (play.context_uri) {
        body["context_uri"] = *play.context_uri;
    } else if (!play.uris.empty()) {
        body["uris"] = play.uris;
    }
    if (play.offset && play.offset->position) {
        body["offset"] = {{"position", *play.offset->position}};
    } else if (play.offset && play.offset->uri) {
        body["offset"] = {{"uri", *play.offset->uri}};
    }
    if (play.position_ms) body["position_ms"] = *play.position_ms;
    const auto& played = planning.plan().played;
    planning.start(*device, std::move(body),
                   played ? "play " + endpoint::quoted(played->name) : "start playback");
    return true;
}

bool plan_playlist(const CommandSet& commands, Planning& planning) {
    std::optional<Device> device = planning.start_device();
    if (!planning.playback_device(device)) return false;
    std::string uri = commands.playlist->uri.value_or("");
    if (!commands.playlist->uri && !planning.find_playlist(*commands.playlist->name, uri)) {
        return false;
    }
    planning.start(*device, nlohmann::json{{"context_uri", uri}}, "play the playlist");
    return true;
}

}  // namespace s2m::command_values
