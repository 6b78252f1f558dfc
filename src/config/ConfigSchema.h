// The names and kinds of every configuration key (docs/configuration.md#keys), in one table. The
// validator and the environment overrides both consult it, so a key is known to one exactly when it
// is known to the other, and secrets are hidden the same way everywhere.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace s2m::config_schema {

enum class ValueKind {
    Section,       // an object with keys of its own
    Text,          // a string
    NullableText,  // a string or null
    Boolean,       // true or false
    Seconds,       // an integer number of seconds
    Count,         // a whole number (the reader checks its range)
    AccountList,   // an array of account objects
};

struct KeySpec {
    std::string_view parent;  // "" for the top level, "accounts[]" for the keys of an account
    std::string_view key;
    ValueKind kind;
    bool secret;  // its value never appears in a message
};

// The object holding each account's keys, as a parent name in the table.
inline constexpr std::string_view kAccountEntry = "accounts[]";

std::span<const KeySpec> all_keys();

const KeySpec* find_key(std::string_view parent, std::string_view key);

std::vector<std::string_view> allowed_keys(std::string_view parent);

// The allowed key a typo most likely meant, if any is close enough to be a useful suggestion.
std::optional<std::string_view> closest_key(std::string_view unknown,
                                            const std::vector<std::string_view>& allowed);

// "allowed in `mqtt` are: url, … (did you mean `url`?)" for an unknown key under `parent`.
std::string allowed_keys_hint(std::string_view parent, std::string_view unknown);

}  // namespace s2m::config_schema
