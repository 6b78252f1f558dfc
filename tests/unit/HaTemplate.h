// Renders Home Assistant value templates the way HA's MQTT entities do, for the discovery
// validator's state rules (HaDiscoveryValidator.h, check_select_states): Jinja2 with `value` (the
// payload as text) and `value_json` (the payload parsed; undefined when it is not JSON), the
// result as Python's str() gives it, stripped (homeassistant/helpers/template.py
// async_render_with_possible_json_value).
//
// Only the subset of Jinja the bridge's templates use: text, {{ … }}, {% set name = … %}, the
// whitespace marks {{- -}}, literals (strings, numbers, None/True/False in either case, lists,
// dicts), names, .attribute and [item] access, dict.get(key[, default]), `a if c else b`,
// and/or/not, == != < > <= >= in / not in, and the filters join, tojson, lower, upper and
// default. Jinja's undefined is kept apart from None: it renders as "", is false, and taking an
// attribute of it is an error, as in HA. Anything outside the subset throws TemplateError naming
// it, so a template using something new fails the tests until this renderer learns it.
#pragma once

#include <stdexcept>
#include <string>

namespace s2m::test {

struct TemplateError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The text HA makes of `template_text` for an MQTT message with this payload. Throws
// TemplateError where HA would fail to render (HA then logs an error and ignores the message).
std::string render_ha_template(const std::string& template_text, const std::string& payload);

}  // namespace s2m::test
