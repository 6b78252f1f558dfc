// Turns the parsed JSON tree (file plus environment overrides) into a Config, checking every key:
// unknown keys, types, and each value's own rules. Keys that are missing keep their defaults.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "config/Config.h"
#include "config/ConfigLoader.h"

namespace s2m {

// Every problem found is appended to `problems`; reading goes on after each one so that all of
// them are reported together.
Config read_config(const nlohmann::json& root, std::vector<ConfigProblem>& problems);

}  // namespace s2m
