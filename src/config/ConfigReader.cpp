#include "config/ConfigReader.h"

#include "core/JsonFields.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "config/ConfigChecks.h"
#include "config/ConfigSchema.h"
#include "core/Encoding.h"

namespace s2m {

using Json = nlohmann::json;

namespace {
using Check = std::optional<std::string> (*)(std::string_view);
using config_schema::ValueKind;

constexpr int kMinIntervalS = 1;
constexpr int kMaxIntervalS = 3600;

std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// "got a string "yes"": the value helps find the mistake, except for secrets.
std::string got(const Json& value, bool secret) {
    std::string text = std::string("got ") + json_type_name(value);
    if (value.is_null() || value.is_object() || value.is_array()) return text;
    if (secret) return text + " (hidden)";
    std::string shown = value.dump(-1, ' ', /*ensure_ascii=*/true);
    if (shown.size() > 40) shown = shown.substr(0, 37) + "...";
    return text + " " + shown;
}

std::optional<std::string> check_not_empty(std::string_view text) {
    if (text.empty()) return "must not be empty";
    return std::nullopt;
}

// Copied-and-pasted credentials often bring a stray space or newline along.
std::optional<std::string> check_no_whitespace(std::string_view text) {
    if (std::any_of(text.begin(), text.end(),
                    [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; })) {
        return "contains spaces or line breaks; copy it again from the Spotify developer dashboard";
    }
    return std::nullopt;
}

std::optional<std::string> normalize_log_level(std::string level) {
    level = ascii_lowercase(level);
    if (level == "warn") return "warning";
    for (const char* known : {"trace", "debug", "info", "warning", "error"}) {
        if (level == known) return level;
    }
    return std::nullopt;
}

// Reads the keys of one JSON object into typed fields, reporting unknown keys and every value
// that has the wrong type or breaks its rule. A field keeps its default unless its value is good.
class ObjectReader {
  public:
    ObjectReader(const Json& object, std::string_view schema_parent, std::string path,
                 std::vector<ConfigProblem>& problems)
        : object_(object),
          schema_parent_(schema_parent),
          path_(std::move(path)),
          problems_(problems) {
        for (const auto& item : object_.items()) {
            if (!config_schema::find_key(schema_parent_, item.key())) {
                report(path_of(item.key()), "unknown key; " + config_schema::allowed_keys_hint(
                                                                  schema_parent_, item.key()));
            }
        }
    }

    void text(std::string_view key, std::string& target, Check check = nullptr) {
        const Json* value = find(key);
        if (!value) return;
        if (!value->is_string()) return wrong_type(key, "a string", *value);
        std::string text = value->get<std::string>();
        if (check) {
            if (auto problem = check(text)) return report(path_of(key), *problem);
        }
        target = std::move(text);
    }

    void nullable_text(std::string_view key, std::optional<std::string>& target,
                       Check check = nullptr) {
        const Json* value = find(key);
        if (!value) return;
        if (value->is_null()) {
            target.reset();
            return;
        }
        if (!value->is_string()) return wrong_type(key, "a string or null", *value);
        std::string text = value->get<std::string>();
        if (text.empty())
            return report(path_of(key), "is an empty string; write null to leave it unset");
        if (check) {
            if (auto problem = check(text)) return report(path_of(key), *problem);
        }
        target = std::move(text);
    }

    void boolean(std::string_view key, bool& target) {
        const Json* value = find(key);
        if (!value) return;
        if (!value->is_boolean()) return wrong_type(key, "true or false", *value);
        target = value->get<bool>();
    }

    void seconds(std::string_view key, int& target) {
        const Json* value = find(key);
        if (!value) return;
        const std::string expected = "a whole number of seconds from 1 to 3600";
        if (!value->is_number()) return wrong_type(key, expected.c_str(), *value);
        double seconds = value->get<double>();
        if (std::floor(seconds) != seconds) {
            return report(path_of(key), "must be " + expected + ", not " + value->dump());
        }
        if (seconds < kMinIntervalS || seconds > kMaxIntervalS) {
            return report(path_of(key), "must be from 1 to 3600 seconds, not " + value->dump());
        }
        target = static_cast<int>(seconds);
    }

    void count(std::string_view key, int& target, int low, int high) {
        const Json* value = find(key);
        if (!value) return;
        const std::string expected =
            "a whole number from " + std::to_string(low) + " to " + std::to_string(high);
        if (!value->is_number()) return wrong_type(key, expected.c_str(), *value);
        double number = value->get<double>();
        if (std::floor(number) != number || number < low || number > high) {
            return report(path_of(key), "must be " + expected + ", not " + value->dump());
        }
        target = static_cast<int>(number);
    }

    // The object or array under `key`, or nullptr when it is missing or has the wrong type.
    const Json* object(std::string_view key) { return container(key, true); }
    const Json* array(std::string_view key) { return container(key, false); }

    std::string path_of(std::string_view key) const { return join(path_, key); }

    void report(std::string path, std::string message) {
        problems_.push_back({std::move(path), std::move(message)});
    }

  private:
    const Json* find(std::string_view key) const {
        auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }

    const Json* container(std::string_view key, bool want_object) {
        const Json* value = find(key);
        if (!value) return nullptr;
        if (want_object ? value->is_object() : value->is_array()) return value;
        wrong_type(key, want_object ? "an object { … }" : "an array [ … ]", *value);
        return nullptr;
    }

    void wrong_type(std::string_view key, const char* expected, const Json& value) {
        const config_schema::KeySpec* spec = config_schema::find_key(schema_parent_, key);
        // Text where a section or the account list belongs may be a whole object from the
        // environment that failed to parse, secrets included.
        bool may_hold_secrets =
            spec && (spec->secret || (value.is_string() && (spec->kind == ValueKind::Section ||
                                                            spec->kind == ValueKind::AccountList)));
        std::string message =
            std::string("expected ") + expected + ", " + got(value, may_hold_secrets);
        if (value.is_null()) message += " (leave the key out to use the default)";
        report(path_of(key), std::move(message));
    }

    const Json& object_;
    std::string schema_parent_;
    std::string path_;
    std::vector<ConfigProblem>& problems_;
};

void read_mqtt(const Json& section, MqttConfig& mqtt, std::vector<ConfigProblem>& problems) {
    ObjectReader reader(section, "mqtt", "mqtt", problems);
    reader.text("url", mqtt.url, check_mqtt_url);
    reader.nullable_text("username", mqtt.username);
    reader.nullable_text("password", mqtt.password);
    reader.nullable_text("ca_file", mqtt.ca_file);
    reader.text("client_id", mqtt.client_id, check_mqtt_client_id);
    reader.text("base_topic", mqtt.base_topic, check_topic);
    if (mqtt.password && !mqtt.username) {
        reader.report(reader.path_of("password"),
                      "is set but mqtt.username is not; MQTT sends a password only together with "
                      "a user name");
    }
}

void read_home_assistant(const Json& section, HomeAssistantConfig& homeassistant,
                         std::vector<ConfigProblem>& problems) {
    ObjectReader reader(section, "homeassistant", "homeassistant", problems);
    reader.boolean("discovery", homeassistant.discovery);
    reader.text("discovery_prefix", homeassistant.discovery_prefix, check_topic);
    reader.text("status_topic", homeassistant.status_topic, check_topic);
    reader.boolean("media_player", homeassistant.media_player);
}

void read_spotify(const Json& section, SpotifyConfig& spotify,
                  std::vector<ConfigProblem>& problems) {
    ObjectReader reader(section, "spotify", "spotify", problems);
    reader.text("client_id", spotify.client_id, check_no_whitespace);
    reader.nullable_text("client_secret", spotify.client_secret, check_no_whitespace);
    reader.text("api_url", spotify.api_url, check_http_url);
    reader.text("accounts_url", spotify.accounts_url, check_http_url);
    reader.text("redirect_uri", spotify.redirect_uri, check_redirect_uri);
    reader.nullable_text("ca_file", spotify.ca_file);
    if (spotify.client_secret && spotify.client_id.empty()) {
        reader.report(reader.path_of("client_id"),
                      "is empty but spotify.client_secret is set; copy the Client ID of your app "
                      "from https://developer.spotify.com/dashboard");
    }
}

void read_accounts(const Json& list, std::vector<AccountConfig>& accounts,
                   std::vector<ConfigProblem>& problems) {
    std::map<std::string, size_t> first_index_of_name;
    for (size_t i = 0; i < list.size(); ++i) {
        std::string path = "accounts[" + std::to_string(i) + "]";
        const Json& entry = list[i];
        if (!entry.is_object()) {
            // Hidden: a token pasted in place of an account is a likely mistake.
            problems.push_back({path, "expected an object {\"name\": …, \"refresh_token\": …}, " +
                                          got(entry, true)});
            continue;
        }
        ObjectReader reader(entry, config_schema::kAccountEntry, path, problems);
        AccountConfig account;
        reader.text("name", account.name, check_account_name);
        reader.nullable_text("refresh_token", account.refresh_token, check_no_whitespace);
        reader.nullable_text("client_id", account.client_id, check_no_whitespace);
        reader.nullable_text("client_secret", account.client_secret, check_no_whitespace);
        if (account.client_secret && !account.client_id) {
            reader.report(reader.path_of("client_secret"),
                          "is set but this account has no client_id of its own; the secret "
                          "belongs to an app, so give that app's client_id next to it");
        }
        if (!entry.contains("name")) {
            reader.report(reader.path_of("name"),
                          "is missing; every account needs a name of lower-case letters, digits, "
                          "'_' or '-' (it becomes part of MQTT topics)");
        }
        if (account.name.empty()) continue;
        auto [first, inserted] = first_index_of_name.emplace(account.name, i);
        if (!inserted) {
            reader.report(reader.path_of("name"), "`" + account.name +
                                                      "` is already used by accounts[" +
                                                      std::to_string(first->second) + "]");
            continue;
        }
        accounts.push_back(std::move(account));
    }
}

}  // namespace

Config read_config(const Json& root, std::vector<ConfigProblem>& problems) {
    Config config;
    if (!root.is_object()) {
        problems.push_back(
            {"(top level)", "expected an object { … } holding the settings, " + got(root, false)});
        return config;
    }
    const Json no_keys = Json::object();
    ObjectReader top(root, "", "", problems);
    auto section = [&](std::string_view key) -> const Json& {
        const Json* object = top.object(key);
        return object ? *object : no_keys;
    };

    read_mqtt(section("mqtt"), config.mqtt, problems);
    read_home_assistant(section("homeassistant"), config.homeassistant, problems);
    read_spotify(section("spotify"), config.spotify, problems);

    ObjectReader web(section("web"), "web", "web", problems);
    web.nullable_text("listen", config.web.listen, check_listen_address);
    web.nullable_text("setup_code", config.web.setup_code, check_setup_code);
    web.boolean("ingress", config.web.ingress);
    web.text("ingress_proxy", config.web.ingress_proxy, check_ip_address);

    top.text("state_dir", config.state_dir, check_not_empty);
    if (const Json* accounts = top.array("accounts")) {
        read_accounts(*accounts, config.accounts, problems);
    }

    ObjectReader polling(section("polling"), "polling", "polling", problems);
    polling.seconds("playing_interval_s", config.polling.playing_interval_s);
    polling.seconds("paused_interval_s", config.polling.paused_interval_s);
    polling.seconds("idle_interval_s", config.polling.idle_interval_s);
    polling.count("max_requests_per_minute", config.polling.max_requests_per_minute, 1, 100000);
    polling.count("daily_budget", config.polling.daily_budget, kMinDailyBudget, kMaxDailyBudget);

    ObjectReader features(section("features"), "features", "features", problems);
    features.boolean("queue", config.features.queue);
    features.boolean("liked", config.features.liked);
    features.boolean("recent", config.features.recent);
    features.boolean("top", config.features.top);

    std::string level = config.log_level;
    top.text("log_level", level);
    if (auto normalized = normalize_log_level(level)) {
        config.log_level = *normalized;
    } else {
        top.report("log_level",
                   "must be one of trace, debug, info, warning, error; got \"" + level + "\"");
    }
    return config;
}

}  // namespace s2m
