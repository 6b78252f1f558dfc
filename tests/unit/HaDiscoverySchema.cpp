#include "HaDiscoverySchema.h"

namespace s2m::test::ha_detail {

// ---------------------------------------------------------------------------------------------
// Abbreviations. HA core abbreviations.py (ABBREVIATIONS, DEVICE_ABBREVIATIONS,
// ORIGIN_ABBREVIATIONS) and the "Supported abbreviations" tables of the MQTT docs; only the
// entries that matter for the device-discovery structure, availability and the eight platforms
// below. HA's identity entries ("name", "min", "max", "step", "mode") need no expansion.
// `def_ent_id` (default_entity_id, object_id's successor) appears only in newer HA.

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

// ---------------------------------------------------------------------------------------------
// Platforms. Key lists from the platform modules' PLATFORM_SCHEMA_MODERN / DISCOVERY_SCHEMA,
// config.py (MQTT_BASE_SCHEMA, MQTT_RO_SCHEMA, MQTT_RW_SCHEMA) and schemas.py
// (MQTT_ENTITY_COMMON_SCHEMA with the availability schemas).

namespace {

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

}  // namespace

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

}  // namespace s2m::test::ha_detail
