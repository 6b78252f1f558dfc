// Commands (SPEC §4): `/set` and `/set/<key>` payloads → a CommandSet, or an error a person can
// act on. Pure: bytes in, a CommandParse out, no exception escapes (fuzzed by
// fuzz/command_parser_fuzz.cpp). Links are normalised by parse_spotify_link (SpotifyLink.cpp).
//
// What each key accepts (both forms; the plain form also takes bare text such as ON):
//   device       a device name or id, 1–256 bytes, kept as typed (trimmed)
//   play         a spotify: URI or open.spotify.com link, "liked", or an object
//                {uri | uris, device, offset, position_ms}
//   playlist     a playlist link, or a playlist name (1–256 bytes) from the playlists topic
//   shuffle      boolean: true/false, 1/0, or the strings true/false/on/off/1/0/yes/no (any case)
//   repeat       off | track | context (any case); Home Assistant's one → track, all → context
//   volume       a whole number 0–100; fractions are rounded (49.6 → 50); "40" works too
//   position_ms  a whole number 0–86400000 (24 h; nothing plays longer), rounded like volume
//   queue        a track or episode link
//   like         boolean, as shuffle
//   command      play | pause | toggle | next | previous (any case); playpause / play_pause →
//                toggle, prev → previous, stop → pause, skip → next
//   transaction  any JSON value, echoed in the response (in the /set object only)
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "core/Command.h"
#include "core/JsonFields.h"

namespace s2m {

namespace {

constexpr size_t kExcerptBytes = 40;
constexpr size_t kMaxNameBytes = 256;
constexpr int64_t kMaxPositionMs = 24LL * 60 * 60 * 1000;  // 86400000
constexpr int64_t kMaxOffsetIndex = 1'000'000;

using MaybeError = std::optional<CommandError>;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = lower(c);
    return out;
}

// At most kExcerptBytes of `text`, cut on a code point boundary, "…" when cut.
std::string excerpt(std::string_view text) {
    if (!is_valid_utf8(text)) return "(bytes that are not UTF-8)";
    if (text.size() <= kExcerptBytes) return std::string(text);
    size_t cut = kExcerptBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return std::string(text.substr(0, cut)) + "…";
}

std::string quote(std::string_view text) {
    return "\"" + excerpt(text) + "\"";
}

// How a value the user sent reads in a message: strings quoted, scalars as written, containers
// by type.
std::string describe(const Json& value) {
    if (value.is_string()) return quote(value.get_ref<const std::string&>());
    if (value.is_array() || value.is_object()) return json_type_name(value);
    return excerpt(value.dump(-1, ' ', false, Json::error_handler_t::replace));
}

bool is_item(const SpotifyLink& link) {
    return link.type == "track" || link.type == "episode";
}

// "an album", "a track", "a Liked Songs" (to be followed by "link").
std::string kind_of(const SpotifyLink& link) {
    if (link.type == "collection") return "a Liked Songs";
    bool vowel = link.type == "album" || link.type == "artist" || link.type == "episode";
    return (vowel ? "an " : "a ") + link.type;
}

std::string join(const std::vector<std::string>& words, std::string_view separator) {
    std::string out;
    for (const auto& word : words) {
        if (!out.empty()) out += separator;
        out += word;
    }
    return out;
}

CommandError invalid(std::string message) {
    return CommandError{reason::kInvalidPayload, std::move(message)};
}

// Bracket depth outside strings, without parsing: a megabyte of "[[[[" costs one pass and no
// recursion.
bool nested_too_deeply(std::string_view text) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxCommandJsonDepth) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

// A decimal number written as text (" 40 ", "50.0", "1e2"); no inf, nan, hex or junk.
std::optional<double> number_from_text(std::string_view text) {
    text = trim(text);
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    size_t i = 0;
    size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return std::nullopt;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
        size_t exponent_digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++exponent_digits;
        if (exponent_digits == 0) return std::nullopt;
    }
    if (i != text.size()) return std::nullopt;
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return negative ? -value : value;
}

// A JSON number or numeric string, rounded to the nearest whole number, within [low, high].
std::optional<int64_t> whole_number(const Json& value, int64_t low, int64_t high) {
    if (value.is_number_unsigned()) {
        auto n = value.get<uint64_t>();
        if (n > static_cast<uint64_t>(high) || static_cast<int64_t>(n) < low) return std::nullopt;
        return static_cast<int64_t>(n);
    }
    if (value.is_number_integer()) {
        auto n = value.get<int64_t>();
        if (n < low || n > high) return std::nullopt;
        return n;
    }
    std::optional<double> number;
    if (value.is_number_float()) number = value.get<double>();
    if (value.is_string()) number = number_from_text(value.get_ref<const std::string&>());
    if (!number || !std::isfinite(*number)) return std::nullopt;
    double rounded = std::round(*number);
    if (rounded < static_cast<double>(low) || rounded > static_cast<double>(high)) {
        return std::nullopt;
    }
    return static_cast<int64_t>(rounded);
}

std::optional<bool> boolean(const Json& value) {
    if (value.is_boolean()) return value.get<bool>();
    if (value.is_number()) {
        double n = value.get<double>();
        if (n == 1) return true;
        if (n == 0) return false;
        return std::nullopt;
    }
    if (!value.is_string()) return std::nullopt;
    std::string text = to_lower(trim(value.get_ref<const std::string&>()));
    if (text == "true" || text == "on" || text == "1" || text == "yes") return true;
    if (text == "false" || text == "off" || text == "0" || text == "no") return false;
    return std::nullopt;
}

MaybeError parse_boolean(const std::string& name, const Json& value, std::optional<bool>& out) {
    out = boolean(value);
    if (out) return std::nullopt;
    return invalid(name + " must be true or false (also on/off, 1/0), got " + describe(value));
}

MaybeError parse_volume(const std::string& name, const Json& value, std::optional<int>& out) {
    auto n = whole_number(value, 0, 100);
    if (!n) return invalid(name + " must be a whole number from 0 to 100, got " + describe(value));
    out = static_cast<int>(*n);
    return std::nullopt;
}

MaybeError parse_position(const std::string& name, const Json& value, std::optional<int64_t>& out) {
    out = whole_number(value, 0, kMaxPositionMs);
    if (out) return std::nullopt;
    return invalid(name + " must be a whole number of milliseconds from 0 to " +
                   std::to_string(kMaxPositionMs) + " (24 h), got " + describe(value));
}

// The trimmed text of a string value; an error naming `name` and `what` otherwise.
MaybeError text_of(const std::string& name, const char* what, const Json& value,
                   std::string_view& out) {
    if (!value.is_string()) {
        return invalid(name + " must be " + what + " (a string), got " + describe(value));
    }
    out = trim(value.get_ref<const std::string&>());
    if (out.empty()) return invalid(name + " must be " + what + ", got an empty string");
    return std::nullopt;
}

MaybeError parse_name(const std::string& name, const char* what, const Json& value,
                      std::optional<std::string>& out) {
    std::string_view text;
    if (auto error = text_of(name, what, value, text)) return error;
    if (text.size() > kMaxNameBytes) {
        return invalid(name + " is too long: " + std::to_string(text.size()) + " bytes (at most " +
                       std::to_string(kMaxNameBytes) + ")");
    }
    out = std::string(text);
    return std::nullopt;
}

MaybeError parse_device(const std::string& name, const Json& value,
                        std::optional<std::string>& out) {
    return parse_name(name, "a device name or id", value, out);
}

MaybeError parse_repeat(const std::string& name, const Json& value,
                        std::optional<std::string>& out) {
    if (value.is_string()) {
        std::string mode = to_lower(trim(value.get_ref<const std::string&>()));
        if (mode == "one") mode = "track";
        if (mode == "all") mode = "context";
        if (mode == "off" || mode == "track" || mode == "context") {
            out = mode;
            return std::nullopt;
        }
    }
    return invalid(name +
                   " must be off, track or context (Home Assistant's one and all work too), got " +
                   describe(value));
}

MaybeError parse_transport(const std::string& name, const Json& value,
                           std::optional<Transport>& out) {
    if (value.is_string()) {
        std::string word = to_lower(trim(value.get_ref<const std::string&>()));
        if (word == "play") out = Transport::Play;
        if (word == "pause" || word == "stop") out = Transport::Pause;
        if (word == "toggle" || word == "playpause" || word == "play_pause") {
            out = Transport::Toggle;
        }
        if (word == "next" || word == "skip") out = Transport::Next;
        if (word == "previous" || word == "prev") out = Transport::Previous;
        if (out) return std::nullopt;
    }
    return invalid(name + " must be play, pause, toggle, next or previous, got " + describe(value));
}

// A track or episode link → its URI; `name` and `use` make the message.
MaybeError parse_item(const std::string& name, const Json& value, std::string& out) {
    std::string_view text;
    if (auto error = text_of(name, "a track or episode link", value, text)) return error;
    std::string why;
    auto link = parse_spotify_link(text, &why);
    if (!link) {
        return invalid(name + " must be a track or episode URI or open.spotify.com link; " +
                       quote(text) + " is not one: " + why);
    }
    if (!is_item(*link)) {
        return invalid(name + " must be a track or episode; " + quote(text) + " is " +
                       kind_of(*link) + " link");
    }
    out = link->uri;
    return std::nullopt;
}

// play as text: "liked" or a link.
MaybeError play_from_text(const std::string& name, const Json& value, PlayTarget& out) {
    std::string_view text;
    if (auto error =
            text_of(name, "a Spotify URI or open.spotify.com link, or \"liked\"", value, text)) {
        return error;
    }
    if (to_lower(text) == "liked") {
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
    static const std::vector<std::string> keys = {"uri", "uris", "device", "offset", "position_ms"};
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
    if (object.contains("uri") && object.contains("uris")) {
        return invalid("play.uri and play.uris cannot be combined; use one of them");
    }
    if (object.contains("uri")) {
        if (auto error = play_from_text("play.uri", object.at("uri"), out)) return error;
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
                "play.offset needs play.uri or play.uris: it says where to start in what they "
                "name");
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

// Text meant as a link rather than a playlist name (so a broken link is explained, not looked up
// by name).
bool looks_like_link(std::string_view text) {
    std::string low = to_lower(text);
    return low.rfind("spotify:", 0) == 0 || low.rfind("http://", 0) == 0 ||
           low.rfind("https://", 0) == 0 || low.rfind("open.spotify.com/", 0) == 0 ||
           low.rfind("play.spotify.com/", 0) == 0 || low.rfind("spotify.link/", 0) == 0 ||
           low.rfind("spotify.app.link/", 0) == 0;
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

MaybeError parse_queue(const Json& value, std::optional<std::string>& out) {
    std::string uri;
    if (auto error = parse_item("queue", value, uri)) return error;
    out = std::move(uri);
    return std::nullopt;
}

// One key's value into `out`; `key` is one of command_keys() other than transaction.
MaybeError apply(const std::string& key, const Json& value, CommandSet& out) {
    if (key == "device") return parse_device(key, value, out.device);
    if (key == "play") return parse_play(value, out.play);
    if (key == "playlist") return parse_playlist(value, out.playlist);
    if (key == "shuffle") return parse_boolean(key, value, out.shuffle);
    if (key == "repeat") return parse_repeat(key, value, out.repeat);
    if (key == "volume") return parse_volume(key, value, out.volume);
    if (key == "position_ms") return parse_position(key, value, out.position_ms);
    if (key == "queue") return parse_queue(value, out.queue);
    if (key == "like") return parse_boolean(key, value, out.like);
    if (key == "command") return parse_transport(key, value, out.command);
    return CommandError{reason::kUnknownKey, "unknown key " + quote(key)};
}

bool is_command_key(std::string_view key) {
    const auto& keys = command_keys();
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

CommandError unknown_key(std::string_view key, std::string_view where) {
    std::string message = "unknown key " + quote(key) + std::string(where) + "; the keys are " +
                          join(command_keys(), ", ");
    std::string low = to_lower(key);
    if (low != key && is_command_key(low)) message += " (did you mean \"" + low + "\"?)";
    return CommandError{reason::kUnknownKey, std::move(message)};
}

std::string keys_sentence() {
    return "use one or more of " + join(command_keys(), ", ");
}

CommandParse fail(CommandError error, std::optional<Json> transaction = std::nullopt) {
    CommandParse parse;
    parse.transaction = std::move(transaction);
    parse.result = std::move(error);
    return parse;
}

CommandParse parse_object(std::string_view payload) {
    Json object = Json::parse(payload, nullptr, false);
    if (!object.is_object()) {
        std::string got = trim(payload).empty()   ? "an empty payload"
                          : object.is_discarded() ? "text that is not JSON: " + quote(trim(payload))
                                                  : std::string(json_type_name(object));
        return fail(
            invalid("the payload must be a JSON object such as {\"volume\":40}; got " + got));
    }
    std::optional<Json> transaction;
    if (auto it = object.find("transaction"); it != object.end()) transaction = *it;
    for (const auto& [key, value] : object.items()) {
        (void)value;
        if (!is_command_key(key)) return fail(unknown_key(key, ""), transaction);
    }
    if (object.size() == (transaction ? 1u : 0u)) {
        return fail(invalid("nothing to do: the object has no command keys; " + keys_sentence()),
                    transaction);
    }
    if (object.contains("play") && object.contains("playlist")) {
        return fail(invalid("play and playlist cannot be combined; each starts playback, so send "
                            "one of them"),
                    transaction);
    }
    CommandSet commands;
    for (const auto& key : command_keys()) {
        if (key == "transaction") continue;
        auto it = object.find(key);
        if (it == object.end()) continue;
        if (auto error = apply(key, *it, commands)) return fail(std::move(*error), transaction);
    }
    CommandParse parse;
    parse.transaction = std::move(transaction);
    parse.result = std::move(commands);
    return parse;
}

bool takes_text(std::string_view key) {
    return key == "device" || key == "playlist" || key == "queue" || key == "repeat" ||
           key == "command";
}

CommandParse parse_plain(const std::string& key, std::string_view payload) {
    if (key == "transaction") {
        return fail(invalid(
            "nothing to do: set/transaction only names a transaction; send it in the /set object "
            "with the keys to run, e.g. {\"volume\":40,\"transaction\":\"t1\"}"));
    }
    std::string_view text = trim(payload);
    if (text.empty()) {
        return fail(invalid("the payload is empty; set/" + key + " needs a value"));
    }
    Json value = Json::parse(text, nullptr, false);
    if (value.is_discarded() ||
        (takes_text(key) && (value.is_number() || value.is_boolean() || value.is_null()))) {
        value = std::string(text);  // bare text: ON, spotify:track:…, Kitchen Speaker, a device 123
    }
    CommandSet commands;
    if (auto error = apply(key, value, commands)) return fail(std::move(*error));
    CommandParse parse;
    parse.result = std::move(commands);
    return parse;
}

CommandParse parse_checked(std::string_view key, std::string_view payload) {
    if (payload.size() > kMaxCommandPayloadBytes) {
        return fail(invalid("the payload is too large: " + std::to_string(payload.size()) +
                            " bytes (at most " + std::to_string(kMaxCommandPayloadBytes) + ")"));
    }
    if (!is_valid_utf8(payload)) return fail(invalid("the payload is not valid UTF-8"));
    if (nested_too_deeply(payload)) {
        return fail(invalid("the payload is nested too deeply (more than " +
                            std::to_string(kMaxCommandJsonDepth) + " levels of [ and {)"));
    }
    if (key.empty()) return parse_object(payload);
    if (!is_command_key(key)) {
        return fail(unknown_key(key, " in …/set/" + excerpt(key)));
    }
    return parse_plain(std::string(key), payload);
}

}  // namespace

const char* to_string(Transport transport) {
    switch (transport) {
        case Transport::Play:
            return "play";
        case Transport::Pause:
            return "pause";
        case Transport::Toggle:
            return "toggle";
        case Transport::Next:
            return "next";
        case Transport::Previous:
            return "previous";
    }
    return "unknown";
}

const std::vector<std::string>& command_keys() {
    static const std::vector<std::string> keys = {"device", "play",    "playlist",    "shuffle",
                                                  "repeat", "volume",  "position_ms", "queue",
                                                  "like",   "command", "transaction"};
    return keys;
}

CommandParse parse_command(std::string_view key, std::string_view payload) {
    try {
        return parse_checked(key, payload);
    } catch (...) {  // only std::bad_alloc is possible; a command must still get its answer
        CommandParse parse;
        parse.result = invalid("the payload could not be processed");
        return parse;
    }
}

}  // namespace s2m
