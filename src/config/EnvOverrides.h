// SPOTIFY2MQTT__SECTION__KEY=value environment overrides, applied to the parsed JSON tree before
// validation so an overridden value is checked exactly like one written in the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/ConfigLoader.h"

namespace s2m {

struct AppliedOverride {
    std::string path;      // the config path it set, e.g. "polling.playing_interval_s"
    std::string variable;  // the environment variable that set it
};

// Applies every override in `env` to `root` (an object), shallow paths first so that
// SPOTIFY2MQTT__MQTT__URL still wins over a whole SPOTIFY2MQTT__MQTT object. Overrides naming
// unknown keys are reported in `problems` and not applied; an empty value changes nothing.
std::vector<AppliedOverride> apply_environment_overrides(nlohmann::json& root,
                                                         const Environment& env,
                                                         std::vector<ConfigProblem>& problems);

// Adds the variable name to each problem about a value an override set, since the user would
// otherwise look for it in the file.
void attribute_problems_to_overrides(std::vector<ConfigProblem>& problems,
                                     const std::vector<AppliedOverride>& overrides);

}  // namespace s2m
