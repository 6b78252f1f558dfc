// libFuzzer target for the config loader (docs/configuration.md#the-configuration-file), run by
// scripts/fuzz.sh: every input is a config file; when it has a line "--env K=V" at its end, that
// line becomes an environment override as well, so SPOTIFY2MQTT__… values are fuzzed too. Besides
// "no crash, no exception, no sanitizer report" it checks what `run` and `check-config` rely on: a
// rejected config names where and why in a short, valid UTF-8 sentence, and an accepted one is in
// range.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/ConfigLoader.h"
#include "core/Command.h"
#include "fuzz_require.h"

using s2m::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    s2m::Environment env;
    if (auto at = text.rfind("\n--env "); at != std::string_view::npos) {
        std::string_view line = text.substr(at + 7);
        if (auto eq = line.find('='); eq != std::string_view::npos)
            env[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
        text = text.substr(0, at);
    }
    s2m::LoadedConfig loaded = s2m::parse_config(text, env, "fuzz.json");
    for (const auto& problem : loaded.problems) {
        std::string line = s2m::describe(problem);
        require(!problem.message.empty(), "a problem says what is wrong");
        // It may quote what it is about (a key, a value, the text near a syntax error), never more.
        require(line.size() <= 1024 + 3 * size, "a problem is bounded by its input");
        require(s2m::is_valid_utf8(line), "a problem is valid UTF-8");
    }
    if (loaded.ok()) {
        const auto& polling = loaded.config.polling;
        require(polling.playing_interval_s > 0 && polling.paused_interval_s > 0 &&
                    polling.idle_interval_s > 0,
                "accepted poll intervals are positive");
        require(!loaded.config.mqtt.base_topic.empty(), "a base topic");
        for (const auto& account : loaded.config.accounts) {
            require(!account.name.empty() && account.name.size() <= 32,
                    "an account name is a slug of 1..32");
        }
    }
    return 0;
}
