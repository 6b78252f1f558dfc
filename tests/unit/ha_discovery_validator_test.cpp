// Tests of the Home Assistant discovery validator itself: it must accept the examples of HA's MQTT
// documentation and a complete bridge-style device, and reject each kind of mistake.
#include <catch2/catch.hpp>

#include "HaDiscoveryValidator.h"

using nlohmann::json;
using s2m::test::Problems;
using s2m::test::validate_component;
using s2m::test::validate_device_discovery;

namespace {

const std::string kTopic = "homeassistant/device/spotify2mqtt_alice/config";

std::string joined(const Problems& problems) {
    std::string text;
    for (const auto& problem : problems) text += problem + "\n";
    return text;
}

bool mentions(const Problems& problems, const std::string& needle) {
    for (const auto& problem : problems) {
        if (problem.find(needle) != std::string::npos) return true;
    }
    return false;
}

#define REQUIRE_VALID(problems)   \
    do {                          \
        auto found_ = (problems); \
        INFO(joined(found_));     \
        REQUIRE(found_.empty());  \
    } while (false)

#define REQUIRE_PROBLEM(problems, needle)  \
    do {                                   \
        auto found_ = (problems);          \
        INFO(joined(found_));              \
        REQUIRE(mentions(found_, needle)); \
    } while (false)

// A complete device in the shape docs/home-assistant.md#discovery describes, with abbreviated keys.
json bridge_device() {
    return json::parse(R"({
      "dev": {"ids": ["spotify2mqtt_alice"], "name": "Spotify alice", "mf": "spotify2mqtt",
              "mdl": "Spotify account", "sw": "0.1.0", "cu": "http://bridge.local:8080/"},
      "o": {"name": "spotify2mqtt", "sw": "0.1.0", "url": "https://example.com/spotify2mqtt"},
      "avty": [
        {"t": "spotify2mqtt/bridge/state", "val_tpl": "{{ value_json.state }}"},
        {"t": "spotify2mqtt/alice/availability", "pl_avail": "online", "pl_not_avail": "offline"}
      ],
      "avty_mode": "all",
      "cmps": {
        "track": {"p": "sensor", "uniq_id": "spotify2mqtt_alice_track", "name": "Track",
                  "ic": "mdi:music", "stat_t": "spotify2mqtt/alice/state",
                  "val_tpl": "{{ value_json.track.name }}",
                  "json_attr_t": "spotify2mqtt/alice/state",
                  "json_attr_tpl": "{{ value_json.track | tojson }}"},
        "playback": {"p": "sensor", "uniq_id": "spotify2mqtt_alice_playback", "name": "Playback",
                     "dev_cla": "enum", "ops": ["playing", "paused", "idle"],
                     "stat_t": "spotify2mqtt/alice/state", "val_tpl": "{{ value_json.state }}"},
        "cover": {"p": "image", "uniq_id": "spotify2mqtt_alice_cover", "name": "Cover",
                  "url_t": "spotify2mqtt/alice/state", "url_tpl": "{{ value_json.cover_url }}"},
        "play": {"p": "button", "uniq_id": "spotify2mqtt_alice_play", "name": "Play",
                 "cmd_t": "spotify2mqtt/alice/set/play", "qos": 1, "pl_prs": "{}"},
        "volume": {"p": "number", "uniq_id": "spotify2mqtt_alice_volume", "name": "Volume",
                   "min": 0, "max": 100, "step": 1, "mode": "slider",
                   "cmd_t": "spotify2mqtt/alice/set/volume", "qos": 1,
                   "stat_t": "spotify2mqtt/alice/state", "val_tpl": "{{ value_json.volume }}"},
        "shuffle": {"p": "switch", "uniq_id": "spotify2mqtt_alice_shuffle", "name": "Shuffle",
                    "cmd_t": "spotify2mqtt/alice/set/shuffle", "qos": 1,
                    "stat_t": "spotify2mqtt/alice/state", "val_tpl": "{{ value_json.shuffle }}",
                    "pl_on": "true", "pl_off": "false", "stat_on": "True", "stat_off": "False"},
        "repeat": {"p": "select", "uniq_id": "spotify2mqtt_alice_repeat", "name": "Repeat",
                   "ops": ["off", "track", "context"], "cmd_t": "spotify2mqtt/alice/set/repeat",
                   "qos": 1, "stat_t": "spotify2mqtt/alice/state",
                   "val_tpl": "{{ value_json.repeat }}"},
        "rate_limited": {"p": "binary_sensor", "uniq_id": "spotify2mqtt_alice_rate_limited",
                         "name": "Rate limited", "ent_cat": "diagnostic", "dev_cla": "problem",
                         "stat_t": "spotify2mqtt/alice/state",
                         "val_tpl": "{{ 'ON' if value_json.rate_limited else 'OFF' }}"},
        "token_expiry": {"p": "sensor", "uniq_id": "spotify2mqtt_alice_token_expiry",
                         "name": "Token expiry", "ent_cat": "diagnostic", "dev_cla": "timestamp",
                         "en": false, "stat_t": "spotify2mqtt/alice/state",
                         "val_tpl": "{{ value_json.token_expiry }}"}
      }
    })");
}

}  // namespace

TEST_CASE("the device discovery example of HA's MQTT documentation is valid", "[ha_validator]") {
    // source/_integrations/mqtt.markdown, "Device discovery payload" (the removal example too).
    json payload = json::parse(R"({
      "dev": {"ids": "ea334450945afc", "name": "Kitchen", "mf": "Bla electronics", "mdl": "xya",
              "sw": "1.0", "sn": "ea334450945afc", "hw": "1.0rev2"},
      "o": {"name": "bla2mqtt", "sw": "2.1", "url": "https://bla2mqtt.example.com/support"},
      "cmps": {
        "some_unique_component_id1": {"p": "sensor", "device_class": "temperature",
          "unit_of_measurement": "°C", "value_template": "{{ value_json.temperature}}",
          "unique_id": "temp01ae_t"},
        "some_unique_id2": {"p": "sensor", "device_class": "humidity",
          "unit_of_measurement": "%", "value_template": "{{ value_json.humidity}}",
          "unique_id": "temp01ae_h"}
      },
      "state_topic": "sensorBedroom/state",
      "qos": 2
    })");
    REQUIRE_VALID(validate_device_discovery("homeassistant/device/ea334450945afc/config", payload));

    payload["cmps"]["some_unique_id2"] = json{{"p", "sensor"}};  // removes that component
    REQUIRE_VALID(validate_device_discovery("homeassistant/device/ea334450945afc/config", payload));
}

TEST_CASE("a complete bridge device with abbreviations is valid", "[ha_validator]") {
    REQUIRE_VALID(validate_device_discovery(kTopic, bridge_device()));
    // A node_id level is allowed too.
    REQUIRE_VALID(
        validate_device_discovery("ha/device/node-1/spotify2mqtt_alice/config", bridge_device()));
}

TEST_CASE("abbreviations expand to the same payload as full key names", "[ha_validator]") {
    json expanded = s2m::test::expand_device_payload(bridge_device());
    CHECK(expanded.contains("device"));
    CHECK(expanded.contains("origin"));
    CHECK(expanded.contains("availability"));
    CHECK(expanded["availability_mode"] == "all");
    CHECK(expanded["device"]["identifiers"] == json::array({"spotify2mqtt_alice"}));
    CHECK(expanded["device"]["manufacturer"] == "spotify2mqtt");
    CHECK(expanded["device"]["configuration_url"] == "http://bridge.local:8080/");
    CHECK(expanded["origin"]["support_url"] == "https://example.com/spotify2mqtt");
    CHECK(expanded["origin"]["sw_version"] == "0.1.0");
    CHECK(expanded["availability"][0]["topic"] == "spotify2mqtt/bridge/state");
    CHECK(expanded["availability"][0]["value_template"] == "{{ value_json.state }}");
    const json& repeat = expanded["components"]["repeat"];
    CHECK(repeat["platform"] == "select");
    CHECK(repeat["command_topic"] == "spotify2mqtt/alice/set/repeat");
    CHECK(repeat["options"].size() == 3);
    CHECK(repeat["unique_id"] == "spotify2mqtt_alice_repeat");
    CHECK_FALSE(repeat.contains("cmd_t"));
    // The fully spelled-out payload is just as valid.
    REQUIRE_VALID(validate_device_discovery(kTopic, expanded));
}

TEST_CASE("the discovery topic must be <prefix>/device/<object_id>/config", "[ha_validator]") {
    REQUIRE_PROBLEM(validate_device_discovery("homeassistant/sensor/alice/config", bridge_device()),
                    "not 'device'");
    REQUIRE_PROBLEM(validate_device_discovery("homeassistant/device/alice/state", bridge_device()),
                    "/config");
    REQUIRE_PROBLEM(validate_device_discovery("homeassistant/device/a.b/config", bridge_device()),
                    "object_id 'a.b'");
    REQUIRE_PROBLEM(validate_device_discovery("device/alice/config", bridge_device()),
                    "too few levels");
    REQUIRE_PROBLEM(
        validate_device_discovery("homeassistant/device/al ice/config", bridge_device()),
        "[a-zA-Z0-9_-]+");
}

TEST_CASE("dev needs identifiers, o needs a name, cmps must not be empty", "[ha_validator]") {
    auto payload = bridge_device();
    payload.erase("dev");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "missing required 'dev'");

    payload = bridge_device();
    payload["dev"].erase("ids");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "at least one value");

    payload = bridge_device();
    payload["dev"]["ids"] = json::array();
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "at least one value");

    payload = bridge_device();
    payload.erase("o");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "missing required 'o'");

    payload = bridge_device();
    payload["o"].erase("name");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "origin needs a 'name'");

    payload = bridge_device();
    payload["cmps"] = json::object();
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "non-empty object");

    payload = bridge_device();
    payload.erase("cmps");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "missing required 'cmps'");
}

TEST_CASE("unknown keys at the device level, in dev and in o are refused", "[ha_validator]") {
    auto payload = bridge_device();
    payload["name"] = "Spotify alice";  // entity option, not a device-level one
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "unknown device-level key 'name'");

    payload = bridge_device();
    payload["~"] = "spotify2mqtt/alice";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "'~' is not allowed");

    payload = bridge_device();
    payload["dev"]["firmware"] = "1";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "unknown device key 'firmware'");

    payload = bridge_device();
    payload["o"]["version"] = "1";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "unknown origin key 'version'");

    payload = bridge_device();
    payload["dev"]["cu"] = "bridge.local:8080";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "configuration_url");
}

TEST_CASE("every component needs a known platform and a unique_id", "[ha_validator]") {
    auto payload = bridge_device();
    payload["cmps"]["track"].erase("p");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "missing required 'p'");

    payload = bridge_device();
    payload["cmps"]["track"]["p"] = "media_player";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "platform 'media_player'");

    payload = bridge_device();
    payload["cmps"]["track"].erase("uniq_id");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "missing required 'uniq_id'");
}

TEST_CASE("unique_ids must be unique within a message and across messages", "[ha_validator]") {
    auto payload = bridge_device();
    payload["cmps"]["shuffle"]["uniq_id"] = "spotify2mqtt_alice_track";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "used twice in this message");

    std::set<std::string> seen;
    REQUIRE_VALID(validate_device_discovery(kTopic, bridge_device(), seen));
    CHECK(seen.count("spotify2mqtt_alice_volume") == 1);
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, bridge_device(), seen),
                    "already used by another message");
}

TEST_CASE("a select needs command_topic and a non-empty list of string options", "[ha_validator]") {
    auto payload = bridge_device();
    payload["cmps"]["repeat"].erase("cmd_t");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload),
                    "cmps.repeat (select): missing required key 'command_topic'");

    payload = bridge_device();
    payload["cmps"]["repeat"].erase("ops");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "missing required key 'options'");

    payload = bridge_device();
    payload["cmps"]["repeat"]["ops"] = json::array();
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "options must not be empty");

    payload = bridge_device();
    payload["cmps"]["repeat"]["ops"] = json::array({"off", 1});
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "list of strings");

    payload = bridge_device();
    payload["cmps"]["repeat"]["ops"] = json::array({"Kitchen", "Kitchen"});
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "listed twice");
}

TEST_CASE("buttons, numbers and switches need command_topic, sensors need state_topic",
          "[ha_validator]") {
    for (const char* id : {"play", "volume", "shuffle"}) {
        auto payload = bridge_device();
        payload["cmps"][id].erase("cmd_t");
        REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload),
                        "missing required key 'command_topic'");
    }
    auto payload = bridge_device();
    payload["cmps"]["track"].erase("stat_t");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload),
                    "cmps.track (sensor): missing required key 'state_topic'");
    // A shared state_topic at the device level is inherited and satisfies it.
    payload["stat_t"] = "spotify2mqtt/alice/state";
    REQUIRE_VALID(validate_device_discovery(kTopic, payload));
}

TEST_CASE("unknown component keys are reported even though HA drops them", "[ha_validator]") {
    auto payload = bridge_device();
    payload["cmps"]["track"]["has_entity_name"] = true;
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload),
                    "unknown key 'has_entity_name' for sensor");

    payload = bridge_device();
    payload["cmps"]["repeat"]["dev_cla"] = "enum";  // selects have no device class
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "unknown key 'device_class'");

    payload = bridge_device();
    payload["cmps"]["cover"]["val_tpl"] = "{{ value }}";  // images have url_template instead
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "unknown key 'value_template'");

    payload = bridge_device();
    payload["cmps"]["play"]["dev"] = json{{"ids", "x"}};
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "replaced by the device-level");
}

TEST_CASE("publish topics must not hold wildcards and topics must not be empty", "[ha_validator]") {
    auto payload = bridge_device();
    payload["cmps"]["play"]["cmd_t"] = "spotify2mqtt/+/set/play";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "must not contain the wildcards");

    payload = bridge_device();
    payload["cmps"]["volume"]["cmd_t"] = "spotify2mqtt/alice/set/#";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "must not contain the wildcards");

    payload = bridge_device();
    payload["cmd_t"] = "spotify2mqtt/alice/#";  // shared command_topic too
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "must not contain the wildcards");

    payload = bridge_device();
    payload["cmps"]["track"]["stat_t"] = "";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "must not be empty");

    payload = bridge_device();
    payload["cmps"]["track"]["stat_t"] = "spotify2mqtt/al+ice/state";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "entire level");

    payload = bridge_device();
    payload["cmps"]["cover"]["url_t"] = 5;
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "topic must be a string");
}

TEST_CASE("entity_category is config or diagnostic, and never config on a sensor",
          "[ha_validator]") {
    auto payload = bridge_device();
    payload["cmps"]["rate_limited"]["ent_cat"] = "system";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload),
                    "entity_category must be one of config/diagnostic");

    payload = bridge_device();
    payload["cmps"]["token_expiry"]["ent_cat"] = "config";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "read-only platforms");

    payload = bridge_device();
    payload["cmps"]["shuffle"]["ent_cat"] = "config";  // fine on a switch
    REQUIRE_VALID(validate_device_discovery(kTopic, payload));
}

TEST_CASE("enum and timestamp sensors follow HA's device class rules", "[ha_validator]") {
    auto payload = bridge_device();
    payload["cmps"]["playback"]["unit_of_meas"] = "state";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload),
                    "options cannot be used together with state_class or unit_of_measurement");

    payload = bridge_device();
    payload["cmps"]["playback"]["stat_cla"] = "measurement";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "state_class");

    payload = bridge_device();
    payload["cmps"]["playback"].erase("ops");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "needs its 'options'");

    payload = bridge_device();
    payload["cmps"]["playback"].erase("dev_cla");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "options need device_class 'enum'");

    payload = bridge_device();
    payload["cmps"]["token_expiry"]["unit_of_meas"] = "s";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "a timestamp sensor cannot");

    payload = bridge_device();
    payload["cmps"]["token_expiry"]["dev_cla"] = "door";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload),
                    "device_class must be a sensor device class");

    payload = bridge_device();
    payload["cmps"]["rate_limited"]["dev_cla"] = "timestamp";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "a binary_sensor device class");
}

TEST_CASE("types: qos, retain, number range and step", "[ha_validator]") {
    auto payload = bridge_device();
    payload["cmps"]["play"]["qos"] = 3;
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "qos must be 0, 1 or 2");

    payload = bridge_device();
    payload["cmps"]["shuffle"]["ret"] = "yes";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "retain must be true or false");

    payload = bridge_device();
    payload["cmps"]["volume"]["min"] = 100;
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "must be greater than min");

    payload = bridge_device();
    payload["cmps"]["volume"].erase("max");  // HA's default max is 100
    payload["cmps"]["volume"]["min"] = 150;
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "must be greater than min");

    payload = bridge_device();
    payload["cmps"]["volume"]["step"] = 0;
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "step must be at least 0.001");

    payload = bridge_device();
    payload["cmps"]["volume"]["mode"] = "dial";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "auto/box/slider");

    payload = bridge_device();
    payload["cmps"]["track"]["ic"] = "music";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "prefix:name");
}

TEST_CASE("an image needs url_topic or image_topic, not both", "[ha_validator]") {
    auto payload = bridge_device();
    payload["cmps"]["cover"].erase("url_t");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload),
                    "one of 'url_topic' or 'image_topic'");

    payload = bridge_device();
    payload["cmps"]["cover"]["img_t"] = "spotify2mqtt/alice/cover";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "cannot be used together");

    payload = bridge_device();
    payload["cmps"]["cover"]["cont_type"] = "image/jpeg";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "content_type");
}

TEST_CASE("availability entries, availability_mode and their exclusivity", "[ha_validator]") {
    auto payload = bridge_device();
    payload["avty"][1].erase("t");
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "missing required key 'topic'");

    payload = bridge_device();
    payload["avty"][0]["qos"] = 1;
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "unknown key 'qos'");

    payload = bridge_device();
    payload["avty_mode"] = "every";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "all/any/latest");

    // A component's own availability_topic meets the shared availability list: HA refuses that.
    payload = bridge_device();
    payload["cmps"]["track"]["avty_t"] = "spotify2mqtt/alice/availability";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload),
                    "cmps.track (sensor): availability and availability_topic");

    // A component's own availability list overrides the shared one: fine.
    payload = bridge_device();
    payload["cmps"]["track"]["avty"] = json::array({json{{"t", "spotify2mqtt/bridge/state"}}});
    REQUIRE_VALID(validate_device_discovery(kTopic, payload));
}

TEST_CASE("templates must be strings and both spellings of a key collide", "[ha_validator]") {
    auto payload = bridge_device();
    payload["cmps"]["track"]["val_tpl"] = json::object({{"a", 1}});
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload),
                    "value_template must be a template string");

    payload = bridge_device();
    payload["cmps"]["track"]["state_topic"] = "spotify2mqtt/alice/other";
    REQUIRE_PROBLEM(validate_device_discovery(kTopic, payload), "both 'stat_t' and 'state_topic'");
}

TEST_CASE("validate_component checks a single component config", "[ha_validator]") {
    // The switch example of HA's MQTT documentation, abbreviated with a topic base.
    REQUIRE_VALID(validate_component(
        "switch", json::parse(R"({"~": "homeassistant/switch/irrigation", "name": "garden",
                                  "cmd_t": "~/set", "stat_t": "~/state"})")));
    // The motion binary sensor example.
    REQUIRE_VALID(
        validate_component("binary_sensor", json::parse(R"({"name": null, "device_class": "motion",
                        "state_topic": "homeassistant/binary_sensor/garden/state",
                        "unique_id": "motion01ad",
                        "device": {"identifiers": ["01ad"], "name": "Garden"}})")));
    REQUIRE_VALID(validate_component(
        "text", json::parse(R"({"cmd_t": "t/set", "min": 0, "max": 64, "mode": "text"})")));

    REQUIRE_PROBLEM(validate_component("switch", json::parse(R"({"stat_t": "a/b"})")),
                    "missing required key 'command_topic'");
    REQUIRE_PROBLEM(
        validate_component("switch", json::parse(R"({"cmd_t": "a/b", "dev_cla": "door"})")),
        "a switch device class");
    REQUIRE_PROBLEM(validate_component("text", json::parse(R"({"cmd_t": "t/set", "max": 300})")),
                    "text max must be <= 255");
    REQUIRE_PROBLEM(validate_component("button", json::parse(R"({"p": "switch", "cmd_t": "a/b"})")),
                    "expected button");
    REQUIRE_PROBLEM(
        validate_component("button", json::parse(R"({"cmd_t": "a/b", "dev": {"name": "x"}})")),
        "at least one value");
}

namespace {

using s2m::test::check_select_states;
using s2m::test::PublishedState;

// The bridge device with a source select over three devices, two of one name and one restricted.
json with_source_select(const std::string& value_template) {
    json payload = bridge_device();
    payload["cmps"]["source"] = {{"p", "select"},
                                 {"uniq_id", "spotify2mqtt_alice_source"},
                                 {"name", "Source"},
                                 {"ops", {"Kitchen", "Kitchen (2)", "Sonos (restricted)"}},
                                 {"cmd_t", "spotify2mqtt/alice/set/device"},
                                 {"stat_t", "spotify2mqtt/alice/state"},
                                 {"val_tpl", value_template}};
    return payload;
}

PublishedState playing_on(const std::string& what, const char* id, const char* name,
                          std::optional<std::string> shows) {
    json state{{"state", "playing"}, {"repeat", "off"}, {"device", {{"id", id}, {"name", name}}}};
    return {what, "spotify2mqtt/alice/state", state.dump(), {{"source", std::move(shows)}}};
}

std::vector<PublishedState> source_states() {
    json idle{{"state", "idle"}, {"repeat", nullptr}, {"device", nullptr}};
    return {playing_on("playing on the restricted Sonos", "s1", "Sonos", "Sonos (restricted)"),
            playing_on("playing on the second Kitchen", "k2", "Kitchen", "Kitchen (2)"),
            {"nothing playing",
             "spotify2mqtt/alice/state",
             idle.dump(),
             {{"source", std::nullopt}, {"repeat", std::nullopt}}}};
}

}  // namespace

TEST_CASE("a select whose template matches the device by name fails the state rule",
          "[ha_validator]") {
    // The source select of issue 18: the name matched against the labels, so a restricted
    // device ("Sonos (restricted)") showed unknown and the second Kitchen showed the first.
    json old = with_source_select(
        "{% set current = value_json.device.name if value_json.device else None %}"
        R"T({{ current if current in ["Kitchen", "Kitchen (2)", "Sonos (restricted)"] else None }})T");
    REQUIRE_VALID(validate_device_discovery(kTopic, old));  // HA's schema has nothing against it
    auto problems = check_select_states(old, source_states());
    REQUIRE_PROBLEM(problems,
                    "cmps.source (select): shows None for playing on the restricted "
                    "Sonos, expected 'Sonos (restricted)'");
    REQUIRE_PROBLEM(problems,
                    "shows 'Kitchen' for playing on the second Kitchen, expected "
                    "'Kitchen (2)'");
    CHECK(problems.size() == 2);

    // Without an expectation the rule still refuses an unknown while something plays.
    auto unexpected = source_states();
    unexpected[0].shows.clear();
    REQUIRE_PROBLEM(check_select_states(old, unexpected),
                    "renders None (HA: unknown) for playing on the restricted Sonos");

    // The plain name is not even an option, and renders nothing with nothing playing.
    json plain = with_source_select("{{ value_json.device.name }}");
    problems = check_select_states(plain, source_states());
    REQUIRE_PROBLEM(problems,
                    "renders 'Sonos' for playing on the restricted Sonos, which is not "
                    "one of its options ['Kitchen', 'Kitchen (2)', 'Sonos (restricted)']");
    REQUIRE_PROBLEM(problems, "renders nothing for nothing playing");
}

TEST_CASE("a select that looks the device up by id passes the state rule", "[ha_validator]") {
    json fixed = with_source_select(
        R"T({{ {"k1": "Kitchen", "k2": "Kitchen (2)", "s1": "Sonos (restricted)"}.get()T"
        "(value_json.device.id or value_json.device.name) if value_json.device else None) }}");
    REQUIRE_VALID(validate_device_discovery(kTopic, fixed));
    REQUIRE_VALID(check_select_states(fixed, source_states()));
}

TEST_CASE("the state rule covers every select and reports what it cannot check", "[ha_validator]") {
    json payload = with_source_select("{{ value_json.device.name.first }}");
    REQUIRE_PROBLEM(check_select_states(payload, source_states()),
                    "cmps.source (select): its template fails for nothing playing");

    payload = bridge_device();  // the repeat select is checked as well
    payload["cmps"]["repeat"]["val_tpl"] = "{{ value_json.repeat | upper }}";
    REQUIRE_PROBLEM(check_select_states(payload, source_states()),
                    "cmps.repeat (select): renders 'OFF' for playing on the restricted Sonos");

    payload = bridge_device();
    payload["cmps"]["repeat"]["stat_t"] = "spotify2mqtt/alice/other";
    REQUIRE_PROBLEM(check_select_states(payload, source_states()),
                    "no published state reaches its state_topic 'spotify2mqtt/alice/other'");

    auto states = source_states();
    states[0].shows = {{"track", "Song"}};
    REQUIRE_PROBLEM(check_select_states(bridge_device(), states),
                    "name 'track', which is not a select of this payload");
}
