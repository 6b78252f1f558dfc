#include "HaDiscoveryValidator.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <utility>

namespace s2m::test {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Abbreviations. HA core abbreviations.py (ABBREVIATIONS, DEVICE_ABBREVIATIONS,
// ORIGIN_ABBREVIATIONS) and the "Supported abbreviations" tables of the MQTT docs; only the
// entries that matter for the device-discovery structure, availability and the eight platforms
// below. HA's identity entries ("name", "min", "max", "step", "mode") need no expansion.
// `def_ent_id` (default_entity_id, object_id's successor) appears only in newer HA.

using Table = std::vector<std::pair<std::string, std::string>>;

const Table& component_abbreviations() {
    static const Table table = {
        {"avty", "availability"},
        {"avty_mode", "availability_mode"},
        {"avty_t", "availability_topic"},
        {"avty_tpl", "availability_template"},
        {"cmd_t", "command_topic"},
        {"cmd_tpl", "command_template"},
        {"cmps", "components"},
        {"cont_type", "content_type"},
        {"def_ent_id", "default_entity_id"},
        {"dev", "device"},
        {"dev_cla", "device_class"},
        {"e", "encoding"},
        {"en", "enabled_by_default"},
        {"ent_cat", "entity_category"},
        {"ent_pic", "entity_picture"},
        {"exp_aft", "expire_after"},
        {"frc_upd", "force_update"},
        {"ic", "icon"},
        {"img_e", "image_encoding"},
        {"img_t", "image_topic"},
        {"json_attr_t", "json_attributes_topic"},
        {"json_attr_tpl", "json_attributes_template"},
        {"lrst_val_tpl", "last_reset_value_template"},
        {"migr_discvry", "migrate_discovery"},
        {"o", "origin"},
        {"obj_id", "object_id"},
        {"off_dly", "off_delay"},
        {"ops", "options"},
        {"opt", "optimistic"},
        {"p", "platform"},
        {"pl_avail", "payload_available"},
        {"pl_not_avail", "payload_not_available"},
        {"pl_off", "payload_off"},
        {"pl_on", "payload_on"},
        {"pl_prs", "payload_press"},
        {"pl_rst", "payload_reset"},
        {"ptrn", "pattern"},
        {"ret", "retain"},
        {"stat_cla", "state_class"},
        {"stat_off", "state_off"},
        {"stat_on", "state_on"},
        {"stat_t", "state_topic"},
        {"sug_dsp_prc", "suggested_display_precision"},
        {"t", "topic"},
        {"uniq_id", "unique_id"},
        {"unit_of_meas", "unit_of_measurement"},
        {"url_t", "url_topic"},
        {"url_tpl", "url_template"},
        {"val_tpl", "value_template"},
    };
    return table;
}

const Table& device_abbreviations() {
    static const Table table = {
        {"cns", "connections"},  {"cu", "configuration_url"},
        {"hw", "hw_version"},    {"ids", "identifiers"},
        {"mdl", "model"},        {"mdl_id", "model_id"},
        {"mf", "manufacturer"},  {"sa", "suggested_area"},
        {"sn", "serial_number"}, {"sw", "sw_version"},
    };
    return table;
}

const Table& origin_abbreviations() {
    static const Table table = {{"sw", "sw_version"}, {"url", "support_url"}};
    return table;
}

json expand_keys(const json& object, const Table& table, const std::string& where,
                 Problems* problems) {
    if (!object.is_object()) return object;
    json out = object;
    for (const auto& [short_key, full_key] : table) {
        if (!out.contains(short_key)) continue;
        if (out.contains(full_key) && problems) {
            problems->push_back(where + ": both '" + short_key + "' and '" + full_key +
                                "' given (HA keeps the abbreviated one)");
        }
        out[full_key] = out[short_key];
        out.erase(short_key);
    }
    return out;
}

json expand_availability(const json& value, const std::string& where, Problems* problems) {
    if (value.is_object()) return expand_keys(value, component_abbreviations(), where, problems);
    if (!value.is_array()) return value;
    json out = json::array();
    for (const auto& entry : value) {
        out.push_back(expand_keys(entry, component_abbreviations(), where, problems));
    }
    return out;
}

// HA expands a component's own keys and its availability entries ("component_only"); its `dev`
// and `o` are not expanded, and are replaced by the device-level ones anyway.
json expand_component_keys(const json& component, const std::string& where, Problems* problems) {
    json out = expand_keys(component, component_abbreviations(), where, problems);
    if (out.is_object() && out.contains("availability")) {
        out["availability"] = expand_availability(out["availability"], where, problems);
    }
    return out;
}

json expand_full(const json& payload, const std::string& where, Problems* problems) {
    json out = expand_component_keys(payload, where, problems);
    if (!out.is_object()) return out;
    if (out.contains("device")) {
        out["device"] =
            expand_keys(out["device"], device_abbreviations(), where + ".dev", problems);
    }
    if (out.contains("origin")) {
        out["origin"] = expand_keys(out["origin"], origin_abbreviations(), where + ".o", problems);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Value checks.

struct Ctx {
    std::string where;
    Problems& problems;
    void add(const std::string& message) const { problems.push_back(where + ": " + message); }
};

std::string show(const json& value) {
    std::string text = value.dump();
    return text.size() > 60 ? text.substr(0, 57) + "..." : text;
}

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

enum class Kind {
    String,
    NameOrNull,
    Payload,
    Template,
    PublishTopic,
    SubscribeTopic,
    Bool,
    Qos,
    NonNegInt,
    Number,
    Icon,
    Url,
    StringOrStringList,
    StringList,
    Availability,
    AvailabilityMode,
    EntityCategory,
    Device,
    Origin,
    DeviceClass,
    StateClass,
    NumberMode,
    TextMode,
    ImageEncoding,
    Regex,
};

using Spec = std::map<std::string, Kind>;

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

bool is_string_list(const json& value) {
    return value.is_array() &&
           std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
}

// ---------------------------------------------------------------------------------------------
// Platforms. Key lists from the platform modules' PLATFORM_SCHEMA_MODERN / DISCOVERY_SCHEMA,
// config.py (MQTT_BASE_SCHEMA, MQTT_RO_SCHEMA, MQTT_RW_SCHEMA) and schemas.py
// (MQTT_ENTITY_COMMON_SCHEMA with the availability schemas).

struct Platform {
    std::string name;
    Spec keys;
    std::vector<std::string> required;
    std::set<std::string> device_classes;
    std::function<void(const json&, const Ctx&)> extra;
};

Spec common_keys() {
    return {
        // availability (MQTT_AVAILABILITY_SCHEMA)
        {"availability", Kind::Availability},
        {"availability_mode", Kind::AvailabilityMode},
        {"availability_template", Kind::Template},
        {"availability_topic", Kind::SubscribeTopic},
        {"payload_available", Kind::Payload},
        {"payload_not_available", Kind::Payload},
        // MQTT_ENTITY_COMMON_SCHEMA
        {"device", Kind::Device},
        {"origin", Kind::Origin},
        {"enabled_by_default", Kind::Bool},
        {"entity_category", Kind::EntityCategory},
        {"entity_picture", Kind::Url},
        {"icon", Kind::Icon},
        {"json_attributes_topic", Kind::SubscribeTopic},
        {"json_attributes_template", Kind::Template},
        {"object_id", Kind::String},
        {"default_entity_id", Kind::String},
        {"unique_id", Kind::String},
        // MQTT_BASE_SCHEMA
        {"qos", Kind::Qos},
        {"encoding", Kind::String},
        {"group", Kind::StringOrStringList},
    };
}

Spec with(Spec base, const Spec& more) {
    for (const auto& entry : more) base[entry.first] = entry.second;
    return base;
}

Spec read_only_keys() {
    return with(common_keys(),
                {{"state_topic", Kind::SubscribeTopic}, {"value_template", Kind::Template}});
}

Spec read_write_keys() {
    return with(common_keys(), {{"command_topic", Kind::PublishTopic},
                                {"optimistic", Kind::Bool},
                                {"retain", Kind::Bool},
                                {"state_topic", Kind::SubscribeTopic}});
}

const std::set<std::string>& numeric_device_classes() {
    // SensorDeviceClass numeric members (NumberDeviceClass mirrors them).
    static const std::set<std::string> classes = {
        "absolute_humidity",
        "apparent_power",
        "aqi",
        "area",
        "atmospheric_pressure",
        "battery",
        "blood_glucose_concentration",
        "carbon_dioxide",
        "carbon_monoxide",
        "conductivity",
        "current",
        "data_rate",
        "data_size",
        "distance",
        "duration",
        "energy",
        "energy_distance",
        "energy_storage",
        "frequency",
        "gas",
        "humidity",
        "illuminance",
        "irradiance",
        "moisture",
        "monetary",
        "nitrogen_dioxide",
        "nitrogen_monoxide",
        "nitrous_oxide",
        "ozone",
        "ph",
        "pm1",
        "pm10",
        "pm25",
        "power",
        "power_factor",
        "precipitation",
        "precipitation_intensity",
        "pressure",
        "reactive_energy",
        "reactive_power",
        "signal_strength",
        "sound_pressure",
        "speed",
        "sulphur_dioxide",
        "temperature",
        "volatile_organic_compounds",
        "volatile_organic_compounds_parts",
        "voltage",
        "volume",
        "volume_flow_rate",
        "volume_storage",
        "water",
        "weight",
        "wind_direction",
        "wind_speed",
    };
    return classes;
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

const std::vector<Platform>& platforms() {
    static const std::vector<Platform> list = [] {
        std::vector<Platform> all;
        all.push_back(
            Platform{"sensor",
                     with(read_only_keys(), {{"device_class", Kind::DeviceClass},
                                             {"expire_after", Kind::NonNegInt},
                                             {"force_update", Kind::Bool},
                                             {"last_reset_value_template", Kind::Template},
                                             {"name", Kind::NameOrNull},
                                             {"options", Kind::StringList},
                                             {"suggested_display_precision", Kind::NonNegInt},
                                             {"state_class", Kind::StateClass},
                                             {"unit_of_measurement", Kind::NameOrNull}}),
                     {"state_topic"},
                     [] {
                         auto classes = numeric_device_classes();
                         classes.insert({"date", "enum", "timestamp"});
                         return classes;
                     }(),
                     sensor_checks});
        all.push_back(Platform{"binary_sensor",
                               with(read_only_keys(), {{"device_class", Kind::DeviceClass},
                                                       {"expire_after", Kind::NonNegInt},
                                                       {"force_update", Kind::Bool},
                                                       {"name", Kind::NameOrNull},
                                                       {"off_delay", Kind::NonNegInt},
                                                       {"payload_off", Kind::Payload},
                                                       {"payload_on", Kind::Payload}}),
                               {"state_topic"},
                               {"battery",
                                "battery_charging",
                                "carbon_monoxide",
                                "cold",
                                "connectivity",
                                "door",
                                "garage_door",
                                "gas",
                                "heat",
                                "light",
                                "lock",
                                "moisture",
                                "motion",
                                "moving",
                                "occupancy",
                                "opening",
                                "plug",
                                "power",
                                "presence",
                                "problem",
                                "running",
                                "safety",
                                "smoke",
                                "sound",
                                "tamper",
                                "update",
                                "vibration",
                                "window"},
                               no_config_category});
        all.push_back(Platform{"button",
                               with(common_keys(), {{"command_template", Kind::Template},
                                                    {"command_topic", Kind::PublishTopic},
                                                    {"device_class", Kind::DeviceClass},
                                                    {"name", Kind::NameOrNull},
                                                    {"payload_press", Kind::Payload},
                                                    {"retain", Kind::Bool}}),
                               {"command_topic"},
                               {"identify", "restart", "update"},
                               nullptr});
        all.push_back(Platform{"number",
                               with(read_write_keys(), {{"command_template", Kind::Template},
                                                        {"device_class", Kind::DeviceClass},
                                                        {"max", Kind::Number},
                                                        {"min", Kind::Number},
                                                        {"mode", Kind::NumberMode},
                                                        {"name", Kind::NameOrNull},
                                                        {"payload_reset", Kind::Payload},
                                                        {"step", Kind::Number},
                                                        {"unit_of_measurement", Kind::NameOrNull},
                                                        {"value_template", Kind::Template}}),
                               {"command_topic"},
                               numeric_device_classes(),
                               number_checks});
        all.push_back(Platform{"switch",
                               with(read_write_keys(), {{"command_template", Kind::Template},
                                                        {"device_class", Kind::DeviceClass},
                                                        {"name", Kind::NameOrNull},
                                                        {"payload_off", Kind::Payload},
                                                        {"payload_on", Kind::Payload},
                                                        {"state_off", Kind::Payload},
                                                        {"state_on", Kind::Payload},
                                                        {"value_template", Kind::Template}}),
                               {"command_topic"},
                               {"outlet", "switch"},
                               nullptr});
        all.push_back(Platform{
            "select",
            with(read_write_keys(), {{"command_template", Kind::Template},
                                     {"name", Kind::NameOrNull},
                                     {"options", Kind::StringList},
                                     {"value_template", Kind::Template}}),
            {"command_topic", "options"},
            {},
            [](const json& config, const Ctx& ctx) { check_options(config, ctx, false); }});
        all.push_back(Platform{"image",
                               with(common_keys(), {{"content_type", Kind::String},
                                                    {"image_encoding", Kind::ImageEncoding},
                                                    {"image_topic", Kind::SubscribeTopic},
                                                    {"name", Kind::NameOrNull},
                                                    {"url_template", Kind::Template},
                                                    {"url_topic", Kind::SubscribeTopic}}),
                               {},
                               {},
                               image_checks});
        all.push_back(Platform{"text",
                               with(read_write_keys(), {{"command_template", Kind::Template},
                                                        {"max", Kind::NonNegInt},
                                                        {"min", Kind::NonNegInt},
                                                        {"mode", Kind::TextMode},
                                                        {"name", Kind::NameOrNull},
                                                        {"pattern", Kind::Regex},
                                                        {"value_template", Kind::Template}}),
                               {"command_topic"},
                               {},
                               text_checks});
        return all;
    }();
    return list;
}

const Platform* find_platform(const std::string& name) {
    for (const auto& platform : platforms()) {
        if (platform.name == name) return &platform;
    }
    return nullptr;
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

// HA discovery.py _replace_topic_base: `~` at the start or end of a *topic value, and of
// availability topics, is replaced by the base.
void apply_topic_base(json& config, const Ctx& ctx) {
    if (!config.contains("~")) return;
    if (!config["~"].is_string()) {
        ctx.add("~ (topic base) must be a string, got " + show(config["~"]));
        config.erase("~");
        return;
    }
    std::string base = config["~"].get<std::string>();
    config.erase("~");
    auto replace = [&](json& value) {
        if (!value.is_string() || value.get<std::string>().empty()) return;
        std::string text = value.get<std::string>();
        if (text.front() == '~') text = base + text.substr(1);
        if (text.back() == '~') text = text.substr(0, text.size() - 1) + base;
        value = text;
    };
    for (auto& [key, value] : config.items()) {
        const std::string suffix = "topic";
        if (key.size() >= suffix.size() &&
            key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0) {
            replace(value);
        }
    }
    if (config.contains("availability")) {
        json& availability = config["availability"];
        if (availability.is_object() && availability.contains("topic")) {
            replace(availability["topic"]);
        } else if (availability.is_array()) {
            for (auto& entry : availability) {
                if (entry.is_object() && entry.contains("topic")) replace(entry["topic"]);
            }
        }
    }
}

// Validates a (merged, expanded) platform config. Keys not in `explicit_keys` came from the
// device level: HA drops them silently when the platform has no such key, and their values were
// already checked at the device level.
void validate_platform(const Platform& platform, const json& config,
                       const std::set<std::string>& explicit_keys, const Ctx& ctx) {
    for (const auto& [key, value] : config.items()) {
        auto spec = platform.keys.find(key);
        bool is_explicit = explicit_keys.count(key) > 0;
        if (spec == platform.keys.end()) {
            if (is_explicit) {
                ctx.add("unknown key '" + key + "' for " + platform.name +
                        " (HA silently drops it)");
            }
            continue;
        }
        if (is_explicit) check_value(key, spec->second, value, platform, ctx);
    }
    for (const auto& key : platform.required) {
        if (!config.contains(key)) ctx.add("missing required key '" + key + "'");
    }
    if (config.contains("availability") && config.contains("availability_topic")) {
        ctx.add("availability and availability_topic cannot be used together");
    }
    if (platform.extra) platform.extra(config, ctx);
}

// `<prefix>/device/[<node_id>/]<object_id>/config`, discovery.py TOPIC_MATCHER.
void check_discovery_topic(const std::string& topic, Problems& problems) {
    static const std::regex id(R"([a-zA-Z0-9_-]+)");
    std::vector<std::string> levels;
    size_t start = 0;
    while (true) {
        size_t slash = topic.find('/', start);
        levels.push_back(topic.substr(start, slash - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    auto fail = [&](const std::string& why) {
        problems.push_back("topic '" + topic + "': " + why +
                           "; expected <prefix>/device/<object_id>/config");
    };
    if (levels.back() != "config") return fail("does not end in /config");
    if (levels.size() < 4) return fail("too few levels");
    size_t object = levels.size() - 2;
    size_t device = object - 1;
    if (levels[device] != "device" && object >= 3 && levels[object - 2] == "device") {
        device = object - 2;  // with a node_id level
        if (!std::regex_match(levels[object - 1], id)) {
            return fail("node_id '" + levels[object - 1] + "' must match [a-zA-Z0-9_-]+");
        }
    }
    if (levels[device] != "device") return fail("the component level is not 'device'");
    if (device == 0) return fail("the discovery prefix is missing");
    if (!std::regex_match(levels[object], id)) {
        return fail("object_id '" + levels[object] + "' must match [a-zA-Z0-9_-]+");
    }
    if (topic.find_first_of("+#") != std::string::npos) fail("contains a wildcard");
}

// Device-level options (schemas.py DEVICE_DISCOVERY_SCHEMA, a plain vol.Schema: other keys make
// HA refuse the whole message) and the ones HA copies into components that do not set them
// (schemas.py SHARED_OPTIONS; qos and encoding are shared only by newer HA versions).
const Spec& device_level_keys() {
    static const Spec keys = {
        {"availability", Kind::Availability},
        {"availability_mode", Kind::AvailabilityMode},
        {"availability_template", Kind::Template},
        {"availability_topic", Kind::SubscribeTopic},
        {"payload_available", Kind::Payload},
        {"payload_not_available", Kind::Payload},
        {"state_topic", Kind::SubscribeTopic},
        {"command_topic", Kind::PublishTopic},
        {"qos", Kind::Qos},
        {"encoding", Kind::String},
    };
    return keys;
}

Problems validate_device_discovery_impl(const std::string& topic, const json& raw,
                                        std::set<std::string>* seen_unique_ids) {
    Problems problems;
    check_discovery_topic(topic, problems);
    if (!raw.is_object()) {
        problems.push_back("payload must be a JSON object, got " + show(raw));
        return problems;
    }
    json payload = expand_device_payload(raw, &problems);
    Ctx top{"payload", problems};

    const Platform dummy{"device", {}, {}, {}, nullptr};
    for (const auto& [key, value] : payload.items()) {
        if (key == "device" || key == "origin" || key == "components") continue;
        auto spec = device_level_keys().find(key);
        if (spec != device_level_keys().end()) {
            check_value(key, spec->second, value, dummy, top);
        } else if (key == "~") {
            top.add("'~' is not allowed at the device level; put it inside each component");
        } else {
            top.add("unknown device-level key '" + key + "' (HA rejects the whole message)");
        }
    }
    if (payload.contains("availability") && payload.contains("availability_topic")) {
        top.add("availability and availability_topic cannot be used together");
    }
    if (!payload.contains("device")) {
        top.add("missing required 'dev' (device)");
    } else {
        check_device(payload["device"], Ctx{"dev", problems});
    }
    if (!payload.contains("origin")) {
        top.add("missing required 'o' (origin)");
    } else {
        check_origin(payload["origin"], Ctx{"o", problems});
    }
    if (!payload.contains("components")) {
        top.add("missing required 'cmps' (components)");
        return problems;
    }
    const json& components = payload["components"];
    if (!components.is_object() || components.empty()) {
        top.add("cmps must be a non-empty object of components, got " + show(components));
        return problems;
    }

    static const std::regex component_id(R"([a-zA-Z0-9_-]+)");
    std::set<std::string> message_ids;
    for (const auto& [id, component] : components.items()) {
        Ctx at{"cmps." + id, problems};
        if (!std::regex_match(id, component_id)) {
            at.add("component id must match [a-zA-Z0-9_-]+ (project rule)");
        }
        if (!component.is_object()) {
            at.add("component must be an object, got " + show(component));
            continue;
        }
        if (!component.contains("platform")) {
            at.add("missing required 'p' (platform)");
            continue;
        }
        if (!component["platform"].is_string()) {
            at.add("p (platform) must be a string, got " + show(component["platform"]));
            continue;
        }
        std::string platform_name = component["platform"].get<std::string>();
        const Platform* platform = find_platform(platform_name);
        if (!platform) {
            at.add("platform '" + platform_name + "' is not one this validator knows");
            continue;
        }
        at.where += " (" + platform_name + ")";
        json config = component;
        config.erase("platform");
        if (config.empty()) continue;  // {"p": ...} alone removes that component: valid.

        if (!config.contains("unique_id")) {
            at.add("missing required 'uniq_id' (unique_id)");
        } else if (!config["unique_id"].is_string() ||
                   config["unique_id"].get<std::string>().empty()) {
            at.add("unique_id must be a non-empty string, got " + show(config["unique_id"]));
        } else {
            std::string unique_id = config["unique_id"].get<std::string>();
            if (!message_ids.insert(unique_id).second) {
                at.add("unique_id '" + unique_id + "' is used twice in this message");
            } else if (seen_unique_ids && !seen_unique_ids->insert(unique_id).second) {
                at.add("unique_id '" + unique_id + "' was already used by another message");
            }
        }
        for (const char* key : {"device", "origin"}) {
            if (config.contains(key)) {
                at.add(std::string(key) +
                       " inside a component is replaced by the device-level one");
            }
        }

        std::set<std::string> explicit_keys;
        for (const auto& item : config.items()) explicit_keys.insert(item.key());
        explicit_keys.erase("unique_id");  // checked above
        explicit_keys.erase("device");
        explicit_keys.erase("origin");
        config["device"] = payload.contains("device") ? payload["device"] : json::object();
        if (payload.contains("origin")) config["origin"] = payload["origin"];
        for (const auto& entry : device_level_keys()) {
            if (payload.contains(entry.first) && !config.contains(entry.first)) {
                config[entry.first] = payload[entry.first];
            }
        }
        apply_topic_base(config, at);
        validate_platform(*platform, config, explicit_keys, at);
    }
    return problems;
}

}  // namespace

const std::vector<std::string>& supported_platforms() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all;
        for (const auto& platform : platforms()) all.push_back(platform.name);
        return all;
    }();
    return names;
}

json expand_device_payload(const json& payload, Problems* problems) {
    json out = expand_full(payload, "payload", problems);
    if (!out.is_object() || !out.contains("components") || !out["components"].is_object()) {
        return out;
    }
    for (auto& [id, component] : out["components"].items()) {
        component = expand_component_keys(component, "cmps." + id, problems);
    }
    return out;
}

Problems validate_device_discovery(const std::string& topic, const json& payload) {
    return validate_device_discovery_impl(topic, payload, nullptr);
}

Problems validate_device_discovery(const std::string& topic, const json& payload,
                                   std::set<std::string>& seen_unique_ids) {
    return validate_device_discovery_impl(topic, payload, &seen_unique_ids);
}

Problems validate_component(const std::string& platform_name, const json& raw) {
    Problems problems;
    Ctx ctx{platform_name, problems};
    const Platform* platform = find_platform(platform_name);
    if (!platform) {
        ctx.add("platform '" + platform_name + "' is not one this validator knows");
        return problems;
    }
    if (!raw.is_object()) {
        ctx.add("config must be a JSON object, got " + show(raw));
        return problems;
    }
    json config = expand_full(raw, platform_name, &problems);
    if (config.contains("platform")) {
        if (config["platform"] != platform_name) {
            ctx.add("p (platform) is " + show(config["platform"]) + ", expected " + platform_name);
        }
        config.erase("platform");
    }
    apply_topic_base(config, ctx);
    std::set<std::string> explicit_keys;
    for (const auto& item : config.items()) explicit_keys.insert(item.key());
    validate_platform(*platform, config, explicit_keys, ctx);
    return problems;
}

}  // namespace s2m::test
