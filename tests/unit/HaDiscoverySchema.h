// Internal to the Home Assistant discovery validator (HaDiscoveryValidator.h): the schema tables
// (HaDiscoverySchema.cpp) and the value checks (HaDiscoveryValues.cpp) shared with the validator
// itself (HaDiscoveryValidator.cpp). Not for use by tests.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "HaDiscoveryValidator.h"

namespace s2m::test::ha_detail {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Abbreviations (HaDiscoverySchema.cpp): HA core abbreviations.py ABBREVIATIONS,
// DEVICE_ABBREVIATIONS and ORIGIN_ABBREVIATIONS as (abbreviated, full) pairs.

using Table = std::vector<std::pair<std::string, std::string>>;

const Table& component_abbreviations();
const Table& device_abbreviations();
const Table& origin_abbreviations();

// ---------------------------------------------------------------------------------------------
// Value kinds and check context.

struct Ctx {
    std::string where;
    Problems& problems;
    void add(const std::string& message) const { problems.push_back(where + ": " + message); }
};

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

// ---------------------------------------------------------------------------------------------
// Platforms (HaDiscoverySchema.cpp). Key lists from the platform modules' PLATFORM_SCHEMA_MODERN /
// DISCOVERY_SCHEMA, config.py (MQTT_BASE_SCHEMA, MQTT_RO_SCHEMA, MQTT_RW_SCHEMA) and schemas.py
// (MQTT_ENTITY_COMMON_SCHEMA with the availability schemas).

struct Platform {
    std::string name;
    Spec keys;
    std::vector<std::string> required;
    std::set<std::string> device_classes;
    std::function<void(const json&, const Ctx&)> extra;
};

const std::vector<Platform>& platforms();
const Platform* find_platform(const std::string& name);

// Device-level options (schemas.py DEVICE_DISCOVERY_SCHEMA and SHARED_OPTIONS).
const Spec& device_level_keys();

// ---------------------------------------------------------------------------------------------
// Value checks (HaDiscoveryValues.cpp).

// A value shortened for messages.
std::string show(const json& value);

void check_device(const json& device, const Ctx& ctx);
void check_origin(const json& origin, const Ctx& ctx);
void check_value(const std::string& key, Kind kind, const json& value, const Platform& platform,
                 const Ctx& ctx);

// Platform-specific rules, used as Platform::extra.
void check_options(const json& config, const Ctx& ctx, bool required);
void no_config_category(const json& config, const Ctx& ctx);
void sensor_checks(const json& config, const Ctx& ctx);
void number_checks(const json& config, const Ctx& ctx);
void text_checks(const json& config, const Ctx& ctx);
void image_checks(const json& config, const Ctx& ctx);

}  // namespace s2m::test::ha_detail
