// The Home Assistant template renderer of the discovery validator (HaTemplate.h): what HA would
// show for the templates the bridge announces, with Jinja's and Python's rules.
#include <catch2/catch.hpp>

#include "HaTemplate.h"

using s2m::test::render_ha_template;
using s2m::test::TemplateError;

namespace {
const std::string kState =
    R"({"state": "playing", "volume": 40, "level": 0.5, "shuffle": false, "repeat": null,
        "track": {"name": "Song", "artists": ["A", "B"]},
        "device": {"id": null, "name": "Kitchen"}})";
}

TEST_CASE("templates render values as Python's str() prints them, stripped", "[ha_template]") {
    CHECK(render_ha_template("{{ value_json.state }}", kState) == "playing");
    CHECK(render_ha_template("  {{ value_json.volume }} ", kState) == "40");
    CHECK(render_ha_template("{{ value_json.level }}", kState) == "0.5");
    CHECK(render_ha_template("{{ 2.0 }}", kState) == "2.0");
    CHECK(render_ha_template("{{ value_json.shuffle }}", kState) == "False");
    CHECK(render_ha_template("{{ value_json.repeat }}", kState) == "None");
    CHECK(render_ha_template("{{ value_json.track.artists }}", kState) == "['A', 'B']");
    CHECK(render_ha_template("{{ value }}", "plain text") == "plain text");
    CHECK(render_ha_template("a {{- ' b ' -}} c", "") == "a b c");
    CHECK(render_ha_template("x{# a comment #}y", "") == "xy");
}

TEST_CASE("undefined is not None: it renders empty, and its attributes are errors",
          "[ha_template]") {
    CHECK(render_ha_template("{{ value_json.missing }}", kState) == "");
    CHECK(render_ha_template("{{ value_json.repeat.name }}", kState) == "");  // None.name
    CHECK(render_ha_template("{{ value_json }}", "not json") == "");
    CHECK_THROWS_AS(render_ha_template("{{ value_json.missing.name }}", kState), TemplateError);
    CHECK(render_ha_template("{{ value_json.missing | default('x') }}", kState) == "x");
    CHECK(render_ha_template("{{ 'yes' if value_json.missing else 'no' }}", kState) == "no");
}

TEST_CASE("conditions, and/or, comparisons and membership follow Python", "[ha_template]") {
    CHECK(render_ha_template("{{ 'ON' if value_json.shuffle else 'OFF' }}", kState) == "OFF");
    CHECK(render_ha_template("{{ value_json.track.name if value_json.track else None }}", kState) ==
          "Song");
    CHECK(render_ha_template("{{ value_json.device.id or value_json.device.name }}", kState) ==
          "Kitchen");
    CHECK(render_ha_template("{{ value_json.volume and 'loud' }}", kState) == "loud");
    CHECK(render_ha_template("{{ not value_json.shuffle }}", kState) == "True");
    CHECK(render_ha_template("{{ value_json.volume >= 40 and value_json.state != 'idle' }}",
                             kState) == "True");
    CHECK(render_ha_template("{{ 'B' in value_json.track.artists }}", kState) == "True");
    CHECK(render_ha_template("{{ 'name' not in value_json.track }}", kState) == "False");
    CHECK(render_ha_template("{{ 'lay' in value_json.state }}", kState) == "True");
    CHECK_THROWS_AS(render_ha_template("{{ 'x' in value_json.repeat }}", kState), TemplateError);
}

TEST_CASE("dict literals with .get, set, filters and string escapes", "[ha_template]") {
    CHECK(render_ha_template(R"({{ {"a": "x", "b": {"c": "y"}}.get("b") }})", "") == "{'c': 'y'}");
    CHECK(render_ha_template(R"({{ {"Road \"Trip\"": "p2"}.get(value, value) }})",
                             "Road \"Trip\"") == "p2");
    CHECK(render_ha_template(R"({{ {"k1": "Kitchen"}.get(value, value) }})", "other") == "other");
    CHECK(render_ha_template(R"({{ {"k1": "Kitchen"}.get(None) }})", "") == "None");
    CHECK(render_ha_template(R"({{ {"\u00e9": "e"}.get(value) }})", "\xc3\xa9") == "e");
    CHECK(render_ha_template("{% set n = value_json.volume %}{{ n }}%", kState) == "40%");
    CHECK(render_ha_template("{{ value_json.track.artists | join(', ') }}", kState) == "A, B");
    CHECK(render_ha_template("{{ value_json.state | upper }}", kState) == "PLAYING");
    CHECK(render_ha_template("{{ value_json.track | tojson }}", kState) ==
          R"({"artists": ["A", "B"], "name": "Song"})");
    CHECK(render_ha_template("{{ value_json['track']['artists'][-1] }}", kState) == "B");
}

TEST_CASE("what the renderer does not know is an error, not a guess", "[ha_template]") {
    for (const char* unknown :
         {"{{ value | float }}", "{% if value %}x{% endif %}", "{{ value.lower() }}", "{{ 1 + 2 }}",
          "{{ value is defined }}", "{{ value_json.items }}", "{{ value", "{{ 'open }}"}) {
        INFO(unknown);
        CHECK_THROWS_AS(render_ha_template(unknown, kState), TemplateError);
    }
}
