// check_select_states (HaDiscoveryValidator.h): every select's template against the states the
// bridge publishes.
#include <algorithm>
#include <cctype>

#include "HaDiscoveryValidator.h"
#include "HaTemplate.h"

namespace s2m::test {

namespace select_states {

using nlohmann::json;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// A component's own key, else the device-level one HA merges in.
const json* option(const json& payload, const json& component, const char* key) {
    if (component.contains(key)) return &component[key];
    if (payload.contains(key)) return &payload[key];
    return nullptr;
}

// The topic with the component's `~` applied at either end, as HA's discovery does.
std::string with_base(const json& component, std::string topic) {
    if (!component.contains("~") || !component["~"].is_string() || topic.empty()) return topic;
    std::string base = component["~"].get<std::string>();
    if (topic.front() == '~') topic = base + topic.substr(1);
    if (topic.back() == '~') topic = topic.substr(0, topic.size() - 1) + base;
    return topic;
}

std::string listed(const std::vector<std::string>& options) {
    std::string text;
    for (const auto& option : options) text += (text.empty() ? "'" : ", '") + option + "'";
    return "[" + text + "]";
}

void check_select(const std::string& where, const json& payload, const json& component,
                  const std::string& id, const std::vector<PublishedState>& states,
                  Problems& problems) {
    const json* topic = option(payload, component, "state_topic");
    if (!topic || !topic->is_string()) return;  // optimistic (or reported by the validator)
    const std::string state_topic = with_base(component, topic->get<std::string>());
    const json* template_text = option(payload, component, "value_template");
    std::vector<std::string> options;
    if (component.contains("options") && component["options"].is_array()) {
        for (const json& option : component["options"])
            if (option.is_string()) options.push_back(option.get<std::string>());
    }
    auto is_option = [&](const std::string& text) {
        return std::find(options.begin(), options.end(), text) != options.end();
    };

    int reached = 0;
    for (const PublishedState& state : states) {
        if (state.topic != state_topic) continue;
        ++reached;
        std::string shown;
        try {
            // Without a template HA takes the payload as it is.
            shown = template_text && template_text->is_string()
                        ? render_ha_template(template_text->get<std::string>(), state.payload)
                        : state.payload;
        } catch (const TemplateError& e) {
            problems.push_back(where + ": its template fails for " + state.what + ": " + e.what() +
                               " (HA logs an error and keeps the previous option)");
            continue;
        }
        const bool none = lower(shown) == "none";
        if (shown.find_first_not_of(" \t\r\n") == std::string::npos) {
            problems.push_back(where + ": renders nothing for " + state.what +
                               " (HA ignores that and keeps showing the previous option)");
            continue;
        }
        if (!none && !is_option(shown)) {
            problems.push_back(where + ": renders '" + shown + "' for " + state.what +
                               ", which is not one of its options " + listed(options) +
                               " (HA logs an error and keeps showing the previous option)");
            continue;
        }
        auto expected = state.shows.find(id);
        if (expected == state.shows.end()) {
            if (none) {
                problems.push_back(where + ": renders None (HA: unknown) for " + state.what +
                                   ", which must show one of its options " + listed(options));
            }
            continue;
        }
        const std::optional<std::string>& want = expected->second;
        if (none != !want.has_value() || (!none && shown != *want)) {
            problems.push_back(where + ": shows " + (none ? "None" : "'" + shown + "'") + " for " +
                               state.what + ", expected " + (want ? "'" + *want + "'" : "None"));
        }
    }
    if (reached == 0) {
        problems.push_back(where + ": no published state reaches its state_topic '" + state_topic +
                           "', so its template went unchecked (project rule)");
    }
}

}  // namespace select_states

Problems check_select_states(const nlohmann::json& raw, const std::vector<PublishedState>& states) {
    Problems problems;
    nlohmann::json payload = expand_device_payload(raw);
    if (!payload.is_object() || !payload.contains("components") ||
        !payload["components"].is_object()) {
        problems.push_back("the payload has no components to check");
        return problems;
    }
    const nlohmann::json& components = payload["components"];
    auto is_select = [&](const std::string& id) {
        return components.contains(id) && components[id].is_object() &&
               components[id].value("platform", "") == "select";
    };
    for (const PublishedState& state : states) {
        for (const auto& [id, expected] : state.shows) {
            if (!is_select(id)) {
                problems.push_back("the expectations for " + state.what + " name '" + id +
                                   "', which is not a select of this payload");
            }
        }
    }
    for (const auto& [id, component] : components.items()) {
        if (!is_select(id)) continue;
        select_states::check_select("cmps." + id + " (select)", payload, component, id, states,
                                    problems);
    }
    return problems;
}

}  // namespace s2m::test
