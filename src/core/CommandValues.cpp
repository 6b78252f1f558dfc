// Commands (SPEC §4): the value of one key → its member of CommandSet, or an INVALID_PAYLOAD
// error a person can act on (declared in CommandValues.h; what each key accepts is listed at the
// top of CommandParser.cpp). Everything here but play and playlist, which are in CommandPlay.cpp.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "core/CommandValues.h"

#include "core/Encoding.h"

namespace s2m::command_values {

namespace {

constexpr size_t kExcerptBytes = 40;
constexpr size_t kMaxNameBytes = 256;
constexpr int64_t kMaxPositionMs = 24LL * 60 * 60 * 1000;  // 86400000

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    return text;
}

// At most kExcerptBytes of `text`, control characters escaped, cut on a code point boundary,
// "…" when cut: it goes into the log and the response topic.
std::string excerpt(std::string_view text) {
    if (!is_valid_utf8(text)) return "(bytes that are not UTF-8)";
    return untrusted_excerpt(text, kExcerptBytes);
}

std::string quote(std::string_view text) {
    return "\"" + excerpt(text) + "\"";
}

std::string describe(const Json& value) {
    if (value.is_string()) return quote(value.get_ref<const std::string&>());
    if (value.is_array() || value.is_object()) return json_type_name(value);
    return excerpt(value.dump(-1, ' ', false, Json::error_handler_t::replace));
}

bool is_item(const SpotifyLink& link) {
    return link.type == "track" || link.type == "episode";
}

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

namespace {

std::optional<bool> boolean(const Json& value) {
    if (value.is_boolean()) return value.get<bool>();
    if (value.is_number()) {
        double n = value.get<double>();
        if (n == 1) return true;
        if (n == 0) return false;
        return std::nullopt;
    }
    if (!value.is_string()) return std::nullopt;
    std::string text = ascii_lowercase(trim(value.get_ref<const std::string&>()));
    if (text == "true" || text == "on" || text == "1" || text == "yes") return true;
    if (text == "false" || text == "off" || text == "0" || text == "no") return false;
    return std::nullopt;
}

}  // namespace

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

MaybeError parse_volume_level(const std::string& name, const Json& value, std::optional<int>& out) {
    std::optional<double> level;
    if (value.is_number()) level = value.get<double>();
    if (value.is_string()) level = number_from_text(value.get_ref<const std::string&>());
    if (!level || !std::isfinite(*level) || *level < 0.0 || *level > 1.0) {
        return invalid(name + " must be a number from 0.0 to 1.0 (use volume for 0–100), got " +
                       describe(value));
    }
    out = static_cast<int>(std::lround(*level * 100.0));
    return std::nullopt;
}

MaybeError parse_position(const std::string& name, const Json& value, std::optional<int64_t>& out) {
    out = whole_number(value, 0, kMaxPositionMs);
    if (out) return std::nullopt;
    return invalid(name + " must be a whole number of milliseconds from 0 to " +
                   std::to_string(kMaxPositionMs) + " (24 h), got " + describe(value));
}

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
        std::string mode = ascii_lowercase(trim(value.get_ref<const std::string&>()));
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
        std::string word = ascii_lowercase(trim(value.get_ref<const std::string&>()));
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

// A track or episode link → its URI; `name` makes the message.
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

MaybeError parse_queue(const Json& value, std::optional<std::string>& out) {
    std::string uri;
    if (auto error = parse_item("queue", value, uri)) return error;
    out = std::move(uri);
    return std::nullopt;
}

}  // namespace s2m::command_values
