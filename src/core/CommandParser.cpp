// Commands (SPEC §4): `/set` and `/set/<key>` payloads → a CommandSet, or an error a person can
// act on. Pure: bytes in, a CommandParse out, no exception escapes (fuzzed by
// fuzz/command_parser_fuzz.cpp). Links are normalised by parse_spotify_link (SpotifyLink.cpp).
//
// What each key accepts (both forms; the plain form also takes bare text such as ON):
//   device       a device name or id, 1–256 bytes, kept as typed (trimmed)
//   play         a spotify: URI or open.spotify.com link, "liked", or an object
//                {uri | uris, device, offset, position_ms}; media_id stands for uri and
//                media_type (a string, not used) may come with it, as Home Assistant's
//                play_media sends them
//   playlist     a playlist link, or a playlist name (1–256 bytes) from the playlists topic
//   shuffle      boolean: true/false, 1/0, or the strings true/false/on/off/1/0/yes/no (any case)
//   repeat       off | track | context (any case); Home Assistant's one → track, all → context
//   volume       a whole number 0–100; fractions are rounded (49.6 → 50); "40" works too
//   volume_level Home Assistant's 0.0–1.0 (e.g. "0.55"), → volume round(level × 100); not
//                together with volume
//   position_ms  a whole number 0–86400000 (24 h; nothing plays longer), rounded like volume
//   queue        a track or episode link
//   like         boolean, as shuffle
//   command      play | pause | toggle | next | previous (any case); playpause / play_pause →
//                toggle, prev → previous, stop → pause, skip → next
//   transaction  any JSON value, echoed in the response (in the /set object only)
//
// The value parsers for the keys are in CommandValues.cpp and CommandPlay.cpp; this file checks
// the payload as a whole and sends each key's value to its parser.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Command.h"
#include "core/CommandValues.h"
#include "core/Encoding.h"
#include "core/JsonFields.h"

namespace s2m {

using namespace command_values;  // the value parsers and message helpers (CommandValues.h)

namespace {

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

// One key's value into `out`; `key` is one of command_keys() other than transaction.
MaybeError apply(const std::string& key, const Json& value, CommandSet& out) {
    if (key == "device") return parse_device(key, value, out.device);
    if (key == "play") return parse_play(value, out.play);
    if (key == "playlist") return parse_playlist(value, out.playlist);
    if (key == "shuffle") return parse_boolean(key, value, out.shuffle);
    if (key == "repeat") return parse_repeat(key, value, out.repeat);
    if (key == "volume") return parse_volume(key, value, out.volume);
    if (key == "volume_level") return parse_volume_level(key, value, out.volume);
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
    std::string low = ascii_lowercase(key);
    if (low != key && is_command_key(low)) message += " (did you mean \"" + low + "\"?)";
    return CommandError{reason::kUnknownKey, std::move(message)};
}

// The keys that do something: `transaction` only labels the answer, so it is not offered here.
std::string keys_sentence() {
    std::vector<std::string> keys;
    for (const auto& key : command_keys()) {
        if (key != "transaction") keys.push_back(key);
    }
    return "use one or more of " + join(keys, ", ");
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
    if (object.contains("volume") && object.contains("volume_level")) {
        return fail(invalid("volume and volume_level cannot be combined; both set the volume "
                            "(0–100 and 0.0–1.0), so send one of them"),
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
    static const std::vector<std::string> keys = {
        "device",       "play",        "playlist", "shuffle", "repeat",  "volume",
        "volume_level", "position_ms", "queue",    "like",    "command", "transaction"};
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
