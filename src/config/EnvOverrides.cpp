#include "config/EnvOverrides.h"

#include <algorithm>

#include "config/ConfigSchema.h"
#include "core/Command.h"  // is_valid_utf8
#include "core/Encoding.h"

namespace s2m {

using Json = nlohmann::json;

namespace {
using config_schema::KeySpec;
using config_schema::ValueKind;

constexpr std::string_view kPrefix = "SPOTIFY2MQTT__";
constexpr std::string_view kLevelSeparator = "__";

struct PendingOverride {
    std::string variable;
    std::vector<std::string> keys;  // lower case
    std::string value;
};

bool has_prefix_ignoring_case(std::string_view name, std::string_view prefix) {
    return name.size() >= prefix.size() &&
           equal_ignoring_ascii_case(name.substr(0, prefix.size()), prefix);
}

std::vector<std::string> split_levels(std::string_view rest) {
    std::vector<std::string> keys;
    while (true) {
        size_t separator = rest.find(kLevelSeparator);
        keys.push_back(ascii_lowercase(rest.substr(0, separator)));
        if (separator == std::string_view::npos) return keys;
        rest = rest.substr(separator + kLevelSeparator.size());
    }
}

// Strings are taken as written, so a numeric password or client id stays a string; other kinds
// are read as JSON literals when they are one and otherwise left as a string for the validator to
// refuse with a message naming the expected type.
Json parse_value(const std::string& raw, ValueKind kind) {
    if (kind == ValueKind::Text || kind == ValueKind::NullableText) {
        if (kind == ValueKind::NullableText && raw == "null") return nullptr;
        if (raw.starts_with('"')) {
            Json quoted = Json::parse(raw, nullptr, false);
            if (quoted.is_string()) return quoted;
        }
        return raw;
    }
    Json literal = Json::parse(raw, nullptr, false);
    return literal.is_discarded() ? Json(raw) : literal;
}

// Finds the account an override like SPOTIFY2MQTT__ACCOUNTS__ALICE__REFRESH_TOKEN (or
// ...__ACCOUNTS__0__...) refers to, by name or by position.
Json* find_account(Json& accounts, const std::string& name_or_index, size_t& index) {
    if (!accounts.is_array()) return nullptr;
    bool numeric = !name_or_index.empty() &&
                   std::all_of(name_or_index.begin(), name_or_index.end(),
                               [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    for (size_t i = 0; i < accounts.size(); ++i) {
        Json& account = accounts[i];
        bool matches = numeric
                           ? std::to_string(i) == name_or_index
                           : account.is_object() && account.value("name", Json()) == name_or_index;
        if (matches) {
            index = i;
            return &account;
        }
    }
    return nullptr;
}

class OverrideApplier {
  public:
    OverrideApplier(Json& root, std::vector<ConfigProblem>& problems)
        : root_(root), problems_(problems) {}

    void apply(const PendingOverride& pending) {
        Json* node = &root_;
        std::string parent;  // schema name of the object `node` is
        std::string path;
        const auto& keys = pending.keys;
        for (size_t i = 0; i < keys.size(); ++i) {
            const std::string& key = keys[i];
            path += (path.empty() ? "" : ".") + key;
            const KeySpec* spec = config_schema::find_key(parent, key);
            if (!spec) {
                report(path, "unknown key (set by the environment variable " + pending.variable +
                                 "); " + config_schema::allowed_keys_hint(parent, key));
                return;
            }
            bool last = i + 1 == keys.size();
            // Empty means "not set", as in compose files (`KEY: ${VAR:-}`) and unit files: the
            // file's value or the default stays. `null` (or `""`) is how to set such values.
            if (last && pending.value.empty()) return;
            if (last) {
                (*node)[key] = parse_value(pending.value, spec->kind);
                applied_.push_back({path, pending.variable});
                return;
            }
            if (spec->kind == ValueKind::Section) {
                Json& child = (*node)[key];
                if (child.is_null()) child = Json::object();
                if (!child.is_object()) return not_an_object(path, pending.variable);
                node = &child;
                parent = key;
            } else if (spec->kind == ValueKind::AccountList) {
                auto accounts = node->find(key);
                size_t index = 0;
                const std::string& account = keys[++i];
                node = accounts == node->end() ? nullptr : find_account(*accounts, account, index);
                if (!node) {
                    report(path, "has no account `" + account + "` for the environment variable " +
                                     pending.variable + " to change");
                    return;
                }
                path += "[" + std::to_string(index) + "]";
                if (i + 1 == keys.size() || !node->is_object()) {
                    report(path, "cannot be replaced through " + pending.variable +
                                     "; set SPOTIFY2MQTT__ACCOUNTS to the whole list instead");
                    return;
                }
                parent = config_schema::kAccountEntry;
            } else {
                report(path, "has no keys below it, but the environment variable " +
                                 pending.variable + " names one");
                return;
            }
        }
    }

    std::vector<AppliedOverride> take_applied() { return std::move(applied_); }

  private:
    void report(std::string path, std::string message) {
        problems_.push_back({std::move(path), std::move(message)});
    }
    void not_an_object(const std::string& path, const std::string& variable) {
        report(path, "is not an object, so the environment variable " + variable +
                         " cannot set a key inside it");
    }

    Json& root_;
    std::vector<ConfigProblem>& problems_;
    std::vector<AppliedOverride> applied_;
};

}  // namespace

std::vector<AppliedOverride> apply_environment_overrides(Json& root, const Environment& env,
                                                         std::vector<ConfigProblem>& problems) {
    std::vector<PendingOverride> pending;
    for (const auto& [name, value] : env) {
        if (!has_prefix_ignoring_case(name, kPrefix)) continue;
        std::vector<std::string> keys = split_levels(std::string_view(name).substr(kPrefix.size()));
        if (std::any_of(keys.begin(), keys.end(), [](const std::string& k) { return k.empty(); })) {
            problems.push_back({name,
                                "is not a valid override: write SPOTIFY2MQTT__SECTION__KEY "
                                "with exactly two underscores between the levels, e.g. "
                                "SPOTIFY2MQTT__MQTT__URL"});
            continue;
        }
        // The value lands in the config (and in messages quoting it): it must be text.
        if (!is_valid_utf8(name) || !is_valid_utf8(value)) {
            // parse_config makes the name itself printable for the message.
            problems.push_back(
                {name, "is not valid UTF-8 text; environment overrides must be UTF-8"});
            continue;
        }
        pending.push_back({name, std::move(keys), value});
    }
    std::stable_sort(pending.begin(), pending.end(),
                     [](const auto& a, const auto& b) { return a.keys.size() < b.keys.size(); });

    OverrideApplier applier(root, problems);
    for (const PendingOverride& override_entry : pending) applier.apply(override_entry);
    return applier.take_applied();
}

void attribute_problems_to_overrides(std::vector<ConfigProblem>& problems,
                                     const std::vector<AppliedOverride>& overrides) {
    for (ConfigProblem& problem : problems) {
        // The last matching override is the one that took effect.
        for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
            const std::string& path = it->path;
            bool inside = problem.path.starts_with(path) &&
                          (problem.path.size() == path.size() || problem.path[path.size()] == '.' ||
                           problem.path[path.size()] == '[');
            if (inside) {
                problem.message += " (set by the environment variable " + it->variable + ")";
                break;
            }
        }
    }
}

}  // namespace s2m
