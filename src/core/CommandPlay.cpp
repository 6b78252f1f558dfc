// Commands (SPEC §4): the values of play and playlist, the two keys that start playback
// (declared in CommandValues.h; what they accept is listed at the top of CommandParser.cpp).
// play is the one key with a nested object, so it gets a file of its own.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/CommandValues.h"
#include "core/Encoding.h"

namespace s2m::command_values {

namespace {

constexpr int64_t kMaxOffsetIndex = 1'000'000;

// play as text: "liked" or a link.
MaybeError play_from_text(const std::string& name, const Json& value, PlayTarget& out) {
    std::string_view text;
    if (auto error =
            text_of(name, "a Spotify URI or open.spotify.com link, or \"liked\"", value, text)) {
        return error;
    }
    if (ascii_lowercase(text) == "liked") {
        out.liked = true;
        return std::nullopt;
    }
    std::string why;
    auto link = parse_spotify_link(text, &why);
    if (!link) {
        return invalid(name + " takes a Spotify URI or open.spotify.com link, or \"liked\"; " +
                       quote(text) + " is not one: " + why);
    }
    if (is_item(*link)) {
        out.uris = {link->uri};
    } else if (link->type == "collection" && link->uri.empty()) {
        out.liked = true;
    } else {
        out.context_uri = link->uri;
    }
    return std::nullopt;
}

const std::vector<std::string>& play_keys() {
    static const std::vector<std::string> keys = {"uri",         "uris",     "device",    "offset",
                                                  "position_ms", "media_id", "media_type"};
    return keys;
}

MaybeError parse_offset(const Json& value, PlayOffset& out) {
    const std::string name = "play.offset";
    if (value.is_string() && !number_from_text(value.get_ref<const std::string&>())) {
        std::string_view text = trim(value.get_ref<const std::string&>());
        std::string why;
        auto link = parse_spotify_link(text, &why);
        if (!link) {
            return invalid(name + " must be an index from 0 or a track or episode link; " +
                           quote(text) + " is neither: " + why);
        }
        std::string uri;
        if (auto error = parse_item(name, value, uri)) return error;
        out.uri = uri;
        return std::nullopt;
    }
    out.position = whole_number(value, 0, kMaxOffsetIndex);
    if (out.position) return std::nullopt;
    return invalid(name + " must be an index from 0 to " + std::to_string(kMaxOffsetIndex) +
                   " or a track or episode link, got " + describe(value));
}

MaybeError play_from_object(const Json& object, PlayTarget& out) {
    for (const auto& [key, member] : object.items()) {
        const auto& keys = play_keys();
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            return CommandError{reason::kUnknownKey, "unknown key " + quote("play." + key) +
                                                         "; play understands " + join(keys, ", ")};
        }
    }
    if (object.empty()) {
        return invalid(
            "play must not be an empty object; give uri, uris or device (with optional offset "
            "and position_ms), or a link");
    }
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
        if (auto error = play_from_text(std::string("play.") + key, object.at(key), out)) {
            return error;
        }
    }
    if (object.contains("uris")) {
        const Json& uris = object.at("uris");
        if (!uris.is_array()) {
            return invalid("play.uris must be an array of track or episode links, got " +
                           describe(uris));
        }
        if (uris.empty() || uris.size() > kMaxPlayUris) {
            return invalid("play.uris must hold 1 to " + std::to_string(kMaxPlayUris) +
                           " track or episode links, got " + std::to_string(uris.size()));
        }
        for (size_t i = 0; i < uris.size(); ++i) {
            std::string uri;
            if (auto error = parse_item("play.uris[" + std::to_string(i) + "]", uris[i], uri)) {
                return error;
            }
            out.uris.push_back(std::move(uri));
        }
    }
    if (object.contains("device")) {
        if (auto error = parse_device("play.device", object.at("device"), out.device)) return error;
    }
    if (object.contains("offset")) {
        if (!out.liked && !out.context_uri && out.uris.empty()) {
            return invalid(
                "play.offset needs play.uri, play.uris or play.media_id: it says where to start "
                "in what they name");
        }
        PlayOffset offset;
        if (auto error = parse_offset(object.at("offset"), offset)) return error;
        out.offset = std::move(offset);
    }
    if (object.contains("position_ms")) {
        if (auto error =
                parse_position("play.position_ms", object.at("position_ms"), out.position_ms)) {
            return error;
        }
    }
    return std::nullopt;
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

MaybeError parse_play(const Json& value, std::optional<PlayTarget>& out) {
    PlayTarget target;
    if (value.is_object()) {
        if (auto error = play_from_object(value, target)) return error;
    } else if (value.is_string()) {
        if (auto error = play_from_text("play", value, target)) return error;
    } else {
        return invalid(
            "play takes a Spotify URI or open.spotify.com link, \"liked\", or an object such as "
            "{\"uri\":\"spotify:album:…\",\"device\":\"Kitchen\"}, got " +
            describe(value));
    }
    out = std::move(target);
    return std::nullopt;
}

MaybeError parse_playlist(const Json& value, std::optional<PlaylistRef>& out) {
    const std::string name = "playlist";
    std::string_view text;
    if (auto error = text_of(name, "a playlist name or playlist link", value, text)) return error;
    std::string why;
    auto link = parse_spotify_link(text, &why);
    PlaylistRef ref;
    if (link) {
        if (link->type != "playlist") {
            return invalid(
                "playlist takes a playlist name or playlist link; use play for albums, artists, "
                "shows, tracks, episodes and Liked Songs (" +
                quote(text) + " is " + kind_of(*link) + " link)");
        }
        ref.uri = link->uri;
    } else if (looks_like_link(text)) {
        return invalid("playlist: " + quote(text) + " is not a playlist link: " + why);
    } else {
        std::optional<std::string> playlist_name;
        if (auto error =
                parse_name(name, "a playlist name or playlist link", value, playlist_name)) {
            return error;
        }
        ref.name = std::move(playlist_name);
    }
    out = std::move(ref);
    return std::nullopt;
}

}  // namespace s2m::command_values
