#include "config/ConfigSchema.h"
#include "core/Encoding.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace s2m::config_schema {

namespace {

using enum ValueKind;

constexpr std::array kKeys{
    KeySpec{"", "mqtt", Section, false},
    KeySpec{"", "homeassistant", Section, false},
    KeySpec{"", "spotify", Section, false},
    KeySpec{"", "web", Section, false},
    KeySpec{"", "state_dir", Text, false},
    KeySpec{"", "accounts", AccountList, false},
    KeySpec{"", "polling", Section, false},
    KeySpec{"", "features", Section, false},
    KeySpec{"", "log_level", Text, false},

    KeySpec{"mqtt", "url", Text, false},
    KeySpec{"mqtt", "username", NullableText, false},
    KeySpec{"mqtt", "password", NullableText, true},
    KeySpec{"mqtt", "ca_file", NullableText, false},
    KeySpec{"mqtt", "client_id", Text, false},
    KeySpec{"mqtt", "base_topic", Text, false},

    KeySpec{"homeassistant", "discovery", Boolean, false},
    KeySpec{"homeassistant", "discovery_prefix", Text, false},
    KeySpec{"homeassistant", "status_topic", Text, false},
    KeySpec{"homeassistant", "media_player", Boolean, false},

    KeySpec{"spotify", "client_id", Text, false},
    KeySpec{"spotify", "client_secret", NullableText, true},
    KeySpec{"spotify", "api_url", Text, false},
    KeySpec{"spotify", "accounts_url", Text, false},
    KeySpec{"spotify", "redirect_uri", Text, false},
    KeySpec{"spotify", "ca_file", NullableText, false},

    KeySpec{"web", "listen", NullableText, false},
    KeySpec{"web", "setup_code", NullableText, true},
    KeySpec{"web", "ingress", Boolean, false},
    KeySpec{"web", "ingress_proxy", Text, false},

    KeySpec{kAccountEntry, "name", Text, false},
    KeySpec{kAccountEntry, "refresh_token", NullableText, true},
    KeySpec{kAccountEntry, "client_id", NullableText, false},
    KeySpec{kAccountEntry, "client_secret", NullableText, true},

    KeySpec{"polling", "playing_interval_s", Seconds, false},
    KeySpec{"polling", "paused_interval_s", Seconds, false},
    KeySpec{"polling", "idle_interval_s", Seconds, false},
    KeySpec{"polling", "max_requests_per_minute", Count, false},
    KeySpec{"polling", "daily_budget", Count, false},

    KeySpec{"features", "queue", Boolean, false},
    KeySpec{"features", "liked", Boolean, false},
    KeySpec{"features", "recent", Boolean, false},
    KeySpec{"features", "top", Boolean, false},
};

// Plain Levenshtein distance; key names are short, so the quadratic table is nothing.
size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> previous(b.size() + 1);
    std::vector<size_t> current(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

}  // namespace

std::span<const KeySpec> all_keys() {
    return kKeys;
}

const KeySpec* find_key(std::string_view parent, std::string_view key) {
    for (const KeySpec& spec : kKeys) {
        if (spec.parent == parent && spec.key == key) return &spec;
    }
    return nullptr;
}

std::vector<std::string_view> allowed_keys(std::string_view parent) {
    std::vector<std::string_view> keys;
    for (const KeySpec& spec : kKeys) {
        if (spec.parent == parent) keys.push_back(spec.key);
    }
    return keys;
}

std::optional<std::string_view> closest_key(std::string_view unknown,
                                            const std::vector<std::string_view>& allowed) {
    // Case and '-' vs '_' mistakes are compared away first; what remains may differ by about a
    // third of the name before a suggestion stops being a likely fix.
    std::string normalized = ascii_lowercase(unknown);
    std::replace(normalized.begin(), normalized.end(), '-', '_');
    std::optional<std::string_view> best;
    size_t best_distance = std::max<size_t>(2, normalized.size() / 3) + 1;
    for (std::string_view candidate : allowed) {
        size_t distance = edit_distance(normalized, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

std::string allowed_keys_hint(std::string_view parent, std::string_view unknown) {
    std::vector<std::string_view> allowed = allowed_keys(parent);
    std::string message = "allowed ";
    if (parent.empty()) {
        message += "at the top level";
    } else if (parent == kAccountEntry) {
        message += "in an account";
    } else {
        message += "in `" + std::string(parent) + "`";
    }
    message += " are: ";
    for (size_t i = 0; i < allowed.size(); ++i) {
        if (i > 0) message += ", ";
        message += allowed[i];
    }
    if (auto suggestion = closest_key(unknown, allowed)) {
        message += " (did you mean `" + std::string(*suggestion) + "`?)";
    }
    return message;
}

}  // namespace s2m::config_schema
