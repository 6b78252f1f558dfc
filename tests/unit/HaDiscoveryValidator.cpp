#include "HaDiscoveryValidator.h"

#include <regex>

#include "HaDiscoverySchema.h"

namespace s2m::test {

using namespace ha_detail;

namespace {

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
// Topic base, platform configs, discovery topic and device discovery messages.

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
