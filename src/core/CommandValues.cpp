// Commands (docs/mqtt-commands.md#keys): the pieces the keys' value parsers share (declared in
// CommandValues.h); the keys themselves are the rows of CommandKeys.cpp.
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

}  // namespace

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
    return link.type == "track" || link.type == "episode" || link.type == "chapter";
}

std::string player_uri(const SpotifyLink& link) {
    return link.type == "chapter" ? "spotify:episode:" + link.id : link.uri;
}

std::string kind_of(const SpotifyLink& link) {
    if (link.type == "collection") return "a Liked Songs";
    if (link.type == "your_episodes") return "a Your Episodes";
    bool vowel = link.type == "album" || link.type == "artist" || link.type == "episode" ||
                 link.type == "audiobook";
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

Error invalid(std::string message) {
    return CommandError(reason::kInvalidPayload, std::move(message));
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

Result<int64_t> position_of(const std::string& name, const Json& value) {
    if (auto position = whole_number(value, 0, kMaxPositionMs)) return *position;
    return invalid(name + " must be a whole number of milliseconds from 0 to " +
                   std::to_string(kMaxPositionMs) + " (24 h), got " + describe(value));
}

Result<std::string_view> text_of(const std::string& name, const char* what, const Json& value) {
    if (!value.is_string()) {
        return invalid(name + " must be " + what + " (a string), got " + describe(value));
    }
    std::string_view text = trim(value.get_ref<const std::string&>());
    if (text.empty()) return invalid(name + " must be " + what + ", got an empty string");
    return text;
}

Result<std::string> name_of(const std::string& name, const char* what, const Json& value) {
    auto text = text_of(name, what, value);
    if (!text) return text.error();
    if (text->size() > kMaxNameBytes) {
        return invalid(name + " is too long: " + std::to_string(text->size()) + " bytes (at most " +
                       std::to_string(kMaxNameBytes) + ")");
    }
    return std::string(text.value());
}

Result<std::string> device_of(const std::string& name, const Json& value) {
    return name_of(name, "a device name or id", value);
}

Result<std::string> item_of(const std::string& name, const Json& value) {
    auto text = text_of(name, "a track, episode or chapter link", value);
    if (!text) return text.error();
    std::string why;
    auto link = parse_spotify_link(text.value(), &why);
    if (!link) {
        return invalid(name +
                       " must be a track, episode or chapter URI or open.spotify.com link; " +
                       quote(text.value()) + " is not one: " + why);
    }
    if (!is_item(*link)) {
        return invalid(name + " must be a track, episode or chapter; " + quote(text.value()) +
                       " is " + kind_of(*link) + " link");
    }
    return player_uri(*link);
}

Result<bool> boolean_of(const std::string& name, const Json& value) {
    if (value.is_boolean()) return value.get<bool>();
    if (value.is_number()) {
        double n = value.get<double>();
        if (n == 1) return true;
        if (n == 0) return false;
    }
    if (value.is_string()) {
        std::string text = ascii_lowercase(trim(value.get_ref<const std::string&>()));
        if (text == "true" || text == "on" || text == "1" || text == "yes") return true;
        if (text == "false" || text == "off" || text == "0" || text == "no") return false;
    }
    return invalid(name + " must be true or false (also on/off, 1/0), got " + describe(value));
}

}  // namespace s2m::command_values
