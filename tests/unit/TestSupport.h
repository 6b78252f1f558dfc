// Helpers shared by the unit tests: fixture files.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace s2m::test {

inline std::string read_fixture(const std::string& relative) {
    std::ifstream in(std::string(FIXTURES_DIR) + "/" + relative);
    if (!in) throw std::runtime_error("missing fixture " + relative);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

inline nlohmann::json fixture_json(const std::string& relative) {
    return nlohmann::json::parse(read_fixture(relative));
}

}  // namespace s2m::test
