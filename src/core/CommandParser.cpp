// Commands (docs/mqtt-commands.md): `/set` and `/set/<key>` payloads → a CommandSet, or an error a
// person can act on. Pure: bytes in, a CommandParse out, no exception escapes (fuzzed by
// fuzz/command_parser_fuzz.cpp). Links are normalised by parse_spotify_link (SpotifyLink.cpp).
//
// This file checks the payload as a whole and sends each key's value to the parse function of its
// row in the command key table (CommandKeys.cpp, where each key says what it accepts; both forms,
// and the plain form also takes bare text such as ON). `transaction` (any JSON value, in the /set
// object only) is echoed in the response.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Command.h"
#include "core/CommandKeys.h"
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

CommandParse fail(Error error, std::optional<Json> transaction = std::nullopt) {
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
    if (object.contains("mute") && (object.contains("volume") || object.contains("volume_level"))) {
        return fail(invalid("mute cannot be combined with volume or volume_level; both set the "
                            "volume, so send one of them"),
                    transaction);
    }
    CommandSet commands;
    for (const CommandKey& key : command_key_table()) {
        auto it = object.find(key.name);
        if (it == object.end()) continue;
        if (auto parsed = key.parse(key.name, *it, commands); !parsed) {
            return fail(parsed.error(), transaction);
        }
    }
    CommandParse parse;
    parse.transaction = std::move(transaction);
    parse.result = std::move(commands);
    return parse;
}

CommandParse parse_plain(const std::string& key, std::string_view payload) {
    const CommandKey* row = find_command_key(key);
    if (!row) {  // transaction, the one key that is not a row
        return fail(invalid(
            "nothing to do: set/transaction only names a transaction; send it in the /set object "
            "with the keys to run, e.g. {\"volume\":40,\"transaction\":\"t1\"}"));
    }
    std::string_view text = trim(payload);
    CommandSet commands;
    if (text.empty()) {
        // A key with a default for an empty value takes it (set/boost, e.g. a Home Assistant
        // button's payload); for the others an empty payload is a mistake.
        if (row->parse(key, Json(""), commands)) {
            CommandParse parse;
            parse.result = std::move(commands);
            return parse;
        }
        return fail(invalid("the payload is empty; set/" + key + " needs a value"));
    }
    Json value = Json::parse(text, nullptr, false);
    // "-10" stays text like "+10" (which is not JSON): a signed step, e.g. for set/volume.
    if (value.is_discarded() || text.front() == '-' ||
        (row->takes_text && (value.is_number() || value.is_boolean() || value.is_null()))) {
        value = std::string(text);  // bare text: ON, spotify:track:…, Kitchen Speaker, a device 123
    }
    if (auto parsed = row->parse(key, value, commands); !parsed) return fail(parsed.error());
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
    static const std::vector<std::string> keys = [] {
        std::vector<std::string> names;
        for (const CommandKey& key : command_key_table()) names.emplace_back(key.name);
        names.emplace_back("transaction");
        return names;
    }();
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
