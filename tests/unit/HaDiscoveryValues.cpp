#include <algorithm>
#include <cstdint>
#include <optional>
#include <regex>

#include "HaDiscoverySchema.h"

namespace s2m::test::ha_detail {

// ---------------------------------------------------------------------------------------------
// Value checks.

namespace {

// homeassistant/components/mqtt/util.py valid_topic / valid_subscribe_topic /
// valid_publish_topic.
std::optional<std::string> topic_problem(const json& value, bool publish) {
    if (!value.is_string()) return "topic must be a string, got " + show(value);
    const std::string& topic = value.get_ref<const std::string&>();
    if (topic.empty()) return "topic must not be empty";
    if (topic.size() > 65535) return "topic longer than 65535 bytes";
    for (size_t i = 0; i < topic.size(); ++i) {
        auto c = static_cast<unsigned char>(topic[i]);
        bool c1_control = c == 0xC2 && i + 1 < topic.size() &&
                          static_cast<unsigned char>(topic[i + 1]) >= 0x80 &&
                          static_cast<unsigned char>(topic[i + 1]) <= 0x9F;
        if (c < 0x20 || c == 0x7F || c1_control) {
            return "topic '" + topic + "' contains a control character";
        }
    }
    if (publish) {
        if (topic.find_first_of("+#") != std::string::npos) {
            return "publish topic '" + topic + "' must not contain the wildcards + or #";
        }
        return std::nullopt;
    }
    for (size_t i = 0; i < topic.size(); ++i) {
        if (topic[i] != '+') continue;
        if ((i > 0 && topic[i - 1] != '/') || (i + 1 < topic.size() && topic[i + 1] != '/')) {
            return "topic '" + topic + "': + must occupy an entire level";
        }
    }
    auto hash = topic.find('#');
    if (hash != std::string::npos) {
        if (hash != topic.size() - 1) return "topic '" + topic + "': # must be the last character";
        if (topic.size() > 1 && topic[hash - 1] != '/') {
            return "topic '" + topic + "': # must follow a /";
        }
    }
    return std::nullopt;
}

bool is_http_url(const std::string& text) {
    static const std::regex url(R"(^https?://[^/\s?#]+([/?#]\S*)?$)");
    return std::regex_match(text, url);
}

void check_availability_entries(const json& value, const Ctx& ctx) {
    if (!value.is_object() && !value.is_array()) {
        ctx.add("availability must be a list of {topic, ...}, got " + show(value));
        return;
    }
    json entries = value.is_array() ? value : json::array({value});
    static const std::set<std::string> allowed = {"topic", "payload_available",
                                                  "payload_not_available", "value_template"};
    size_t index = 0;
    for (const auto& entry : entries) {
        Ctx at{ctx.where + ".availability[" + std::to_string(index++) + "]", ctx.problems};
        if (!entry.is_object()) {
            at.add("entry must be an object, got " + show(entry));
            continue;
        }
        for (const auto& [key, item] : entry.items()) {
            if (!allowed.count(key)) {
                at.add("unknown key '" + key + "' (HA rejects the config)");
            }
        }
        if (!entry.contains("topic")) {
            at.add("missing required key 'topic'");
        } else if (auto problem = topic_problem(entry["topic"], false)) {
            at.add(*problem);
        }
        for (const char* key : {"payload_available", "payload_not_available"}) {
            if (entry.contains(key) && !entry[key].is_string() && !entry[key].is_number()) {
                at.add(std::string(key) + " must be a string, got " + show(entry[key]));
            }
        }
        if (entry.contains("value_template") && !entry["value_template"].is_string()) {
            at.add("value_template must be a string, got " + show(entry["value_template"]));
        }
    }
}

bool is_string_list(const json& value) {
    return value.is_array() &&
           std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
}

bool has_value(const json& config, const char* key) {
    if (!config.contains(key) || config[key].is_null()) return false;
    const json& value = config[key];
    // sensor.py drops a blank unit_of_measurement.
    if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        return text.find_first_not_of(" \t") != std::string::npos;
    }
    return true;
}

std::string string_or_empty(const json& config, const char* key) {
    return config.contains(key) && config[key].is_string() ? config[key].get<std::string>() : "";
}

}  // namespace

std::string show(const json& value) {
    std::string text = value.dump();
    return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

void check_device(const json& device, const Ctx& ctx) {
    if (!device.is_object()) {
        ctx.add("device must be an object, got " + show(device));
        return;
    }
    // schemas.py MQTT_ENTITY_DEVICE_INFO_SCHEMA: a plain vol.Schema, so unknown keys are refused.
    static const std::set<std::string> strings = {
        "manufacturer",  "model",      "model_id",   "name",           "hw_version",
        "serial_number", "sw_version", "via_device", "suggested_area",
    };
    bool identified = false;
    for (const auto& [key, value] : device.items()) {
        if (key == "identifiers") {
            if (value.is_string()) {
                identified = identified || !value.get<std::string>().empty();
            } else if (value.is_array() &&
                       std::all_of(value.begin(), value.end(),
                                   [](const json& id) { return id.is_string(); })) {
                identified = identified || !value.empty();
            } else {
                ctx.add("identifiers must be a string or a list of strings, got " + show(value));
            }
        } else if (key == "connections") {
            bool ok =
                value.is_array() && std::all_of(value.begin(), value.end(), [](const json& pair) {
                    return pair.is_array() && pair.size() == 2 && pair[0].is_string() &&
                           pair[1].is_string();
                });
            if (!ok) ctx.add("connections must be a list of [type, id] pairs, got " + show(value));
            identified = identified || (ok && !value.empty());
        } else if (key == "configuration_url") {
            if (!value.is_string() ||
                (!is_http_url(value.get<std::string>()) &&
                 value.get<std::string>().rfind("homeassistant://", 0) != 0)) {
                ctx.add("configuration_url must be an http(s) or homeassistant:// URL, got " +
                        show(value));
            }
        } else if (strings.count(key)) {
            if (!value.is_string()) ctx.add(key + " must be a string, got " + show(value));
        } else {
            ctx.add("unknown device key '" + key + "' (HA rejects the config)");
        }
    }
    if (!identified) {
        ctx.add("device needs at least one value in 'identifiers' (ids) or 'connections' (cns)");
    }
}

void check_origin(const json& origin, const Ctx& ctx) {
    if (!origin.is_object()) {
        ctx.add("origin must be an object, got " + show(origin));
        return;
    }
    // schemas.py MQTT_ORIGIN_INFO_SCHEMA: name required, sw_version, support_url.
    for (const auto& [key, value] : origin.items()) {
        if (key == "name" || key == "sw_version") {
            if (!value.is_string())
                ctx.add("origin " + key + " must be a string, got " + show(value));
        } else if (key == "support_url") {
            if (!value.is_string() ||
                (!is_http_url(value.get<std::string>()) &&
                 value.get<std::string>().rfind("homeassistant://", 0) != 0)) {
                ctx.add("origin support_url must be an http(s) URL, got " + show(value));
            }
        } else {
            ctx.add("unknown origin key '" + key + "' (HA rejects the config)");
        }
    }
    if (!origin.contains("name")) ctx.add("origin needs a 'name'");
}

// ---------------------------------------------------------------------------------------------
// Platform-specific rules (Platform::extra).

void check_options(const json& config, const Ctx& ctx, bool required) {
    if (!config.contains("options") || config["options"].is_null()) {
        if (required) ctx.add("missing required key 'options'");
        return;
    }
    const json& options = config["options"];
    if (!is_string_list(options)) {
        ctx.add("options must be a list of strings, got " + show(options));
        return;
    }
    if (options.empty()) ctx.add("options must not be empty");
    std::set<std::string> seen;
    for (const auto& option : options) {
        if (!seen.insert(option.get<std::string>()).second) {
            ctx.add("option '" + option.get<std::string>() + "' is listed twice (project rule)");
        }
    }
}

void no_config_category(const json& config, const Ctx& ctx) {
    // sensor / binary_sensor async_internal_added_to_hass raise on EntityCategory.CONFIG.
    if (string_or_empty(config, "entity_category") == "config") {
        ctx.add("entity_category 'config' is refused for read-only platforms; use 'diagnostic'");
    }
}

void sensor_checks(const json& config, const Ctx& ctx) {
    // sensor.py validate_sensor_state_and_device_class_config, plus SensorEntity's rules for
    // non-numeric device classes.
    no_config_category(config, ctx);
    std::string device_class = string_or_empty(config, "device_class");
    bool unit = has_value(config, "unit_of_measurement");
    bool state_class = has_value(config, "state_class");
    bool options = config.contains("options") && !config["options"].is_null();
    if (options) {
        check_options(config, ctx, false);
        if (unit || state_class) {
            ctx.add("options cannot be used together with state_class or unit_of_measurement");
        }
        if (device_class != "enum") ctx.add("options need device_class 'enum'");
    }
    if (device_class == "enum") {
        if (!options) ctx.add("an enum sensor needs its 'options' (project rule)");
        if (!options && (unit || state_class)) {
            ctx.add("an enum sensor cannot have a state_class or unit_of_measurement");
        }
    }
    if (device_class == "timestamp" || device_class == "date") {
        if (unit || state_class) {
            ctx.add("a " + device_class +
                    " sensor cannot have a state_class or unit_of_measurement");
        }
    }
    if (config.contains("last_reset_value_template") &&
        string_or_empty(config, "state_class") != "total") {
        ctx.add("last_reset_value_template needs state_class 'total'");
    }
}

void number_checks(const json& config, const Ctx& ctx) {
    // number.py validate_config (defaults min 1, max 100) and step >= 1e-3.
    auto number_or = [&](const char* key, double fallback) {
        return config.contains(key) && config[key].is_number() ? config[key].get<double>()
                                                               : fallback;
    };
    double min = number_or("min", 1), max = number_or("max", 100);
    if (min >= max) ctx.add("max (" + show(max) + ") must be greater than min (" + show(min) + ")");
    if (config.contains("step") && config["step"].is_number() &&
        config["step"].get<double>() < 1e-3) {
        ctx.add("step must be at least 0.001, got " + show(config["step"]));
    }
}

void text_checks(const json& config, const Ctx& ctx) {
    // text.py valid_text_size_configuration (defaults min 0, max 255 = MAX_LENGTH_STATE_STATE).
    auto int_or = [&](const char* key, int64_t fallback) {
        return config.contains(key) && config[key].is_number_integer() ? config[key].get<int64_t>()
                                                                       : fallback;
    };
    int64_t min = int_or("min", 0), max = int_or("max", 255);
    if (min > max) ctx.add("text min must be <= max");
    if (max > 255) ctx.add("text max must be <= 255");
}

void image_checks(const json& config, const Ctx& ctx) {
    // image.py: url_topic and image_topic are exclusive, one is required; content_type is not for
    // url_topic.
    bool url = config.contains("url_topic"), image = config.contains("image_topic");
    if (!url && !image) ctx.add("missing required key: one of 'url_topic' or 'image_topic'");
    if (url && image) ctx.add("url_topic and image_topic cannot be used together");
    if (url && config.contains("content_type")) {
        ctx.add("content_type cannot be used together with url_topic");
    }
}

void check_value(const std::string& key, Kind kind, const json& value, const Platform& platform,
                 const Ctx& ctx) {
    auto bad = [&](const std::string& expected) {
        ctx.add(key + " must be " + expected + ", got " + show(value));
    };
    auto one_of = [&](std::initializer_list<const char*> values) {
        if (value.is_string()) {
            for (const char* allowed : values) {
                if (value.get<std::string>() == allowed) return;
            }
        }
        std::string list;
        for (const char* allowed : values) list += (list.empty() ? "" : "/") + std::string(allowed);
        bad("one of " + list);
    };
    switch (kind) {
        case Kind::String:
            if (!value.is_string()) bad("a string");
            break;
        case Kind::NameOrNull:
            if (!value.is_string() && !value.is_null()) bad("a string or null");
            break;
        case Kind::Payload:
            if (!value.is_string() && !value.is_number()) bad("a string");
            break;
        case Kind::Template:
            if (!value.is_string()) bad("a template string");
            break;
        case Kind::PublishTopic:
        case Kind::SubscribeTopic:
            if (auto problem = topic_problem(value, kind == Kind::PublishTopic)) {
                ctx.add(key + ": " + *problem);
            }
            break;
        case Kind::Bool:
            if (!value.is_boolean()) bad("true or false");
            break;
        case Kind::Qos:
            if (!value.is_number_integer() || value.get<int64_t>() < 0 ||
                value.get<int64_t>() > 2) {
                bad("0, 1 or 2");
            }
            break;
        case Kind::NonNegInt:
            if (!value.is_number_integer() || value.get<int64_t>() < 0) bad("an integer >= 0");
            break;
        case Kind::Number:
            if (!value.is_number()) bad("a number");
            break;
        case Kind::Icon:
            if (!value.is_string() || value.get<std::string>().find(':') == std::string::npos) {
                bad("an icon of the form prefix:name");
            }
            break;
        case Kind::Url:
            if (!value.is_string() || !is_http_url(value.get<std::string>())) bad("an http(s) URL");
            break;
        case Kind::StringOrStringList:
            if (!value.is_string() && !is_string_list(value)) bad("a string or list of strings");
            break;
        case Kind::StringList:
            if (!is_string_list(value)) bad("a list of strings");
            break;
        case Kind::Availability:
            check_availability_entries(value, ctx);
            break;
        case Kind::AvailabilityMode:
            one_of({"all", "any", "latest"});
            break;
        case Kind::EntityCategory:
            one_of({"config", "diagnostic"});
            break;
        case Kind::Device:
            check_device(value, Ctx{ctx.where + ".device", ctx.problems});
            break;
        case Kind::Origin:
            check_origin(value, Ctx{ctx.where + ".origin", ctx.problems});
            break;
        case Kind::DeviceClass:
            if (value.is_null()) break;
            if (!value.is_string() || !platform.device_classes.count(value.get<std::string>())) {
                bad("a " + platform.name + " device class");
            }
            break;
        case Kind::StateClass:
            if (!value.is_null()) {
                one_of({"measurement", "measurement_angle", "total", "total_increasing"});
            }
            break;
        case Kind::NumberMode:
            one_of({"auto", "box", "slider"});
            break;
        case Kind::TextMode:
            one_of({"text", "password"});
            break;
        case Kind::ImageEncoding:
            one_of({"b64"});
            break;
        case Kind::Regex:
            if (!value.is_string()) {
                bad("a regular expression string");
            } else {
                try {
                    std::regex compiled(value.get<std::string>());
                } catch (const std::regex_error&) {
                    bad("a valid regular expression");
                }
            }
            break;
    }
}

}  // namespace s2m::test::ha_detail
