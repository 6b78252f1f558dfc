// A Home Assistant MQTT discovery validator for tests, written from Home Assistant's MQTT
// documentation (home-assistant.io source/_integrations/mqtt.markdown: "Device discovery payload",
// "Supported abbreviations", "Using Availability topics") and from the schemas of HA core
// (homeassistant/components/mqtt: abbreviations.py, schemas.py, config.py, discovery.py, util.py
// and the platform modules sensor, binary_sensor, button, number, switch, select, image, text).
//
// Every function returns human-readable problems; an empty list means valid. Problems are of two
// strengths, both reported: what HA refuses outright (a missing required key, a bad type, a key
// the device-level schema does not know) and what HA silently drops (an unknown key inside a
// component: the platform DISCOVERY_SCHEMAs use REMOVE_EXTRA), since a dropped key is a bug in the
// payload we generate. A few project rules go beyond HA; they are marked "(project rule)".
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace s2m::test {

using Problems = std::vector<std::string>;

// The entity platforms this validator knows: sensor, binary_sensor, button, number, switch,
// select, image, text.
const std::vector<std::string>& supported_platforms();

// The payload with HA's abbreviations expanded the way HA's discovery does it: top-level and
// component keys, availability entries, `dev` (device keys) and `o` (origin keys).
// Abbreviation collisions (both `stat_t` and `state_topic`) are appended to `problems` if given.
nlohmann::json expand_device_payload(const nlohmann::json& payload, Problems* problems = nullptr);

// Validates one device discovery message: topic `<prefix>/device/[<node_id>/]<object_id>/config`
// and its JSON payload (`dev`, `o`, `cmps`, shared options). Every component gets the shared
// options merged in as HA does before its platform schema is checked.
Problems validate_device_discovery(const std::string& topic, const nlohmann::json& payload);

// As above, also checking each component's unique_id against (and adding it to) `seen_unique_ids`,
// so uniqueness can be checked across several messages.
Problems validate_device_discovery(const std::string& topic, const nlohmann::json& payload,
                                   std::set<std::string>& seen_unique_ids);

// Validates one component config for `platform` on its own (as a single-component discovery
// payload would be): abbreviations are expanded, `~` is applied, a `platform`/`p` key if present
// must name `platform`. unique_id is not required here (device discovery requires it).
Problems validate_component(const std::string& platform, const nlohmann::json& config);

// A message the bridge publishes, for check_select_states.
struct PublishedState {
    std::string what;  // for problems, e.g. "playing on the restricted Sonos"
    std::string topic;
    std::string payload;
    // What particular selects (by component id) must show for it: an option, or std::nullopt for
    // nothing (HA's unknown). A select not named here must show one of its options.
    std::map<std::string, std::optional<std::string>> shows;
};

// Project rule (HaDiscoveryStates.cpp): renders each select's value_template (HaTemplate.h) for
// every state published on its state_topic. HA's select (mqtt/select.py, _message_received)
// clears its option on "None" and logs an error and keeps the old option for a value that is not
// one of its options (or for a template that fails), so the value must be one of the options, or
// "None" only where `shows` says nothing applies. Also reported: a select no state reaches (its
// template went unchecked) and a name in `shows` that is not a select of the payload.
Problems check_select_states(const nlohmann::json& payload,
                             const std::vector<PublishedState>& states);

}  // namespace s2m::test
