// Helpers shared by the configuration tests.
#pragma once

#include <string>

#include "config/ConfigLoader.h"

namespace s2m::test {

// Every problem of `loaded`, one per line, as the bridge would print them.
inline std::string all_problems(const LoadedConfig& loaded) {
    std::string text;
    for (const ConfigProblem& problem : loaded.problems) text += describe(problem) + "\n";
    return text;
}

}  // namespace s2m::test
