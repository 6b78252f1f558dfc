// Reads the configuration (docs/configuration.md): finds the file, parses JSON with comments,
// applies SPOTIFY2MQTT__SECTION__KEY environment overrides and validates everything, collecting
// every problem instead of stopping at the first, so `check-config` can list them all at once.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/Config.h"

namespace s2m {

struct ConfigProblem {
    std::string path;     // e.g. "mqtt.url", "accounts[1].name"; the file name for syntax errors
    std::string message;  // a sentence for a person; never contains a secret value
};

struct LoadedConfig {
    Config config;  // defaults where the file said nothing; not to be used unless ok()
    std::vector<ConfigProblem> problems;
    // Sentences worth a person's attention that do not stop the bridge (a config file holding
    // secrets that other users can read).
    std::vector<std::string> warnings;

    bool ok() const { return problems.empty(); }
};

using Environment = std::map<std::string, std::string>;

// The name config.source gets when no file was found.
inline constexpr std::string_view kBuiltInDefaultsSource = "(built-in defaults)";

// Parses and validates `json_text` (empty means all defaults) with the overrides found in `env`.
// Pure: reads no files and no process environment.
LoadedConfig parse_config(std::string_view json_text, const Environment& env,
                          std::string source_name);

// The places searched, in order, after --config and $SPOTIFY2MQTT_CONFIG.
std::vector<std::string> default_config_locations();

// Finds the file in the order of docs/configuration.md (--config, $SPOTIFY2MQTT_CONFIG, then
// `default_locations`), reads it and parses it. A file named explicitly must exist; when none of
// the default locations exists the built-in defaults are used. Also checks that the CA files it
// names can be read, since a wrong path would only show up later as a TLS failure, and warns
// when the file holds a secret (client secret, refresh token, MQTT password) yet other users may
// read it. A relative state_dir (from the file or the environment) is resolved against the folder
// of the file that was read; with the built-in defaults it stays relative to the working directory.
LoadedConfig load_config(
    std::optional<std::string> cli_path, const Environment& env,
    const std::vector<std::string>& default_locations = default_config_locations());

// The process environment (the third argument of main) as a map.
Environment environment_from(char** envp);

// "<path>: <message>"
std::string describe(const ConfigProblem& problem);

}  // namespace s2m
