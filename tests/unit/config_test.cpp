// Parsing and validation of the configuration file (docs/configuration.md#keys). Environment
// overrides and the file lookup order are in config_env_test.cpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "ConfigTestSupport.h"
#include "config/ConfigLoader.h"

using s2m::ConfigProblem;
using s2m::LoadedConfig;

using s2m::test::all_problems;

namespace {

LoadedConfig parse_text(std::string_view text) {
    return s2m::parse_config(text, {}, "test.json");
}

const ConfigProblem* problem_at(const LoadedConfig& loaded, const std::string& path) {
    for (const ConfigProblem& problem : loaded.problems) {
        if (problem.path == path) return &problem;
    }
    return nullptr;
}

// Checks one JSON text: valid when `expected` is null, else a problem at `path` whose message
// contains `expected`.
struct ValidationCase {
    const char* json;
    const char* path;
    const char* expected;
};

void check_case(const ValidationCase& c) {
    INFO("config: " << c.json);
    LoadedConfig loaded = parse_text(c.json);
    INFO("problems:\n" << all_problems(loaded));
    if (c.expected == nullptr) {
        CHECK(loaded.ok());
        return;
    }
    const ConfigProblem* problem = problem_at(loaded, c.path);
    REQUIRE(problem != nullptr);
    CHECK_THAT(problem->message, Catch::Matchers::Contains(c.expected));
}

}  // namespace

TEST_CASE("an empty or comment-only file means all defaults", "[config]") {
    for (const char* text : {"", "  \n\t", "// nothing here yet\n", "/* block */", "{}"}) {
        INFO("text: " << text);
        LoadedConfig loaded = parse_text(text);
        REQUIRE(loaded.ok());
        const s2m::Config& config = loaded.config;
        CHECK(config.mqtt.url == "mqtt://127.0.0.1:1883");
        CHECK_FALSE(config.mqtt.username);
        CHECK(config.mqtt.client_id == "spotify2mqtt");
        CHECK(config.mqtt.base_topic == "spotify2mqtt");
        CHECK(config.homeassistant.discovery);
        CHECK(config.homeassistant.discovery_prefix == "homeassistant");
        CHECK(config.homeassistant.status_topic == "homeassistant/status");
        CHECK_FALSE(config.homeassistant.media_player);
        CHECK(config.spotify.client_id.empty());
        CHECK_FALSE(config.spotify.client_secret);
        CHECK(config.spotify.api_url == "https://api.spotify.com/v1");
        CHECK(config.spotify.accounts_url == "https://accounts.spotify.com");
        CHECK(config.spotify.redirect_uri == "http://127.0.0.1:8888/callback");
        CHECK(config.web.listen == "127.0.0.1:8888");
        CHECK(config.state_dir == "./state");
        CHECK(config.accounts.empty());
        CHECK(config.polling.playing_interval_s == 9);
        CHECK(config.polling.paused_interval_s == 30);
        CHECK(config.polling.idle_interval_s == 120);
        CHECK(config.polling.daily_budget == 3219);
        CHECK(config.log_level == "info");
        CHECK(config.source == "test.json");
    }
}

TEST_CASE("the example config in config/ is valid and shows the defaults", "[config]") {
    LoadedConfig loaded =
        s2m::load_config(std::string(FIXTURES_DIR "/../../config/spotify2mqtt.example.json"), {});
    INFO(all_problems(loaded));
    REQUIRE(loaded.ok());
    s2m::Config defaults;
    CHECK(loaded.config.mqtt.url == defaults.mqtt.url);
    CHECK(loaded.config.spotify.client_id.empty());
    CHECK(loaded.config.web.listen == defaults.web.listen);
    CHECK(loaded.config.polling.idle_interval_s == defaults.polling.idle_interval_s);
    CHECK(loaded.config.accounts.empty());
}

TEST_CASE("every key is read, comments and all", "[config]") {
    LoadedConfig loaded = parse_text(R"({
      // line comment
      "mqtt": { "url": "mqtts://broker.lan:8883", "username": "ha", "password": "pw",
                "ca_file": "/etc/ca.pem", "client_id": "s2m-kitchen", "base_topic": "home/spotify" },
      /* block
         comment */
      "homeassistant": { "discovery": false, "discovery_prefix": "ha", "status_topic": "ha/status",
                         "media_player": true },
      "spotify": { "client_id": "abc123", "client_secret": "shh", "api_url": "http://127.0.0.1:9000/v1",
                   "accounts_url": "http://127.0.0.1:9000", "redirect_uri": "https://spotify.example.org/cb",
                   "ca_file": "/etc/spotify-ca.pem" },
      "web": { "listen": "[::1]:9999" },
      "state_dir": "/var/lib/spotify2mqtt",
      "accounts": [ { "name": "alice", "refresh_token": "AQD-token" }, { "name": "bob_2" } ],
      "polling": { "playing_interval_s": 5, "paused_interval_s": 45.0, "idle_interval_s": 3600 },
      "log_level": "warn"
    })");
    INFO(all_problems(loaded));
    REQUIRE(loaded.ok());
    const s2m::Config& c = loaded.config;
    CHECK(c.mqtt.url == "mqtts://broker.lan:8883");
    CHECK(c.mqtt.username == "ha");
    CHECK(c.mqtt.password == "pw");
    CHECK(c.mqtt.ca_file == "/etc/ca.pem");
    CHECK(c.mqtt.client_id == "s2m-kitchen");
    CHECK(c.mqtt.base_topic == "home/spotify");
    CHECK_FALSE(c.homeassistant.discovery);
    CHECK(c.homeassistant.discovery_prefix == "ha");
    CHECK(c.homeassistant.status_topic == "ha/status");
    CHECK(c.homeassistant.media_player);
    CHECK(c.spotify.client_id == "abc123");
    CHECK(c.spotify.client_secret == "shh");
    CHECK(c.spotify.api_url == "http://127.0.0.1:9000/v1");
    CHECK(c.spotify.accounts_url == "http://127.0.0.1:9000");
    CHECK(c.spotify.redirect_uri == "https://spotify.example.org/cb");
    CHECK(c.spotify.ca_file == "/etc/spotify-ca.pem");
    CHECK(c.web.listen == "[::1]:9999");
    CHECK(c.state_dir == "/var/lib/spotify2mqtt");
    REQUIRE(c.accounts.size() == 2);
    CHECK(c.accounts[0].name == "alice");
    CHECK(c.accounts[0].refresh_token == "AQD-token");
    CHECK(c.accounts[1].name == "bob_2");
    CHECK_FALSE(c.accounts[1].refresh_token);
    CHECK(c.polling.playing_interval_s == 5);
    CHECK(c.polling.paused_interval_s == 45);
    CHECK(c.polling.idle_interval_s == 3600);
    CHECK(c.log_level == "warning");
}

TEST_CASE("nullable keys accept null", "[config]") {
    LoadedConfig loaded = parse_text(R"({
      "mqtt": { "username": null, "password": null, "ca_file": null },
      "spotify": { "client_secret": null, "ca_file": null },
      "web": { "listen": null },
      "accounts": [ { "name": "alice", "refresh_token": null } ] })");
    INFO(all_problems(loaded));
    REQUIRE(loaded.ok());
    CHECK_FALSE(loaded.config.web.listen);
    CHECK_FALSE(loaded.config.accounts.at(0).refresh_token);
}

TEST_CASE("a syntax error is one problem naming line and column", "[config]") {
    LoadedConfig loaded = parse_text("{\n  \"mqtt\": {\n    \"url\": mqtt://x\n  }\n}");
    REQUIRE(loaded.problems.size() == 1);
    CHECK(loaded.problems[0].path == "test.json");
    CHECK_THAT(loaded.problems[0].message, Catch::Matchers::StartsWith("line 3, column 12: "));

    LoadedConfig trailing_comma = parse_text("{\n  \"log_level\": \"info\",\n}");
    REQUIRE(trailing_comma.problems.size() == 1);
    CHECK_THAT(trailing_comma.problems[0].message,
               Catch::Matchers::StartsWith("line 3, column 1: ") &&
                   Catch::Matchers::Contains("no comma before a closing"));

    // Columns count characters, not UTF-8 bytes.
    LoadedConfig accented = parse_text("{\"state_dir\": \"/données\" ]");
    REQUIRE(accented.problems.size() == 1);
    CHECK_THAT(accented.problems[0].message, Catch::Matchers::StartsWith("line 1, column 26: "));
}

TEST_CASE(
    "a syntax error never quotes the config's text, even text that looks like the excerpt's end",
    "[config]") {
    // An unterminated comment: nlohmann quotes everything it read ("last read: '…'"). Here that
    // text itself contains "'; expected", which once ended the excerpt early and let the rest of
    // the file (a password) into the message (found by fuzz/config_loader).
    LoadedConfig loaded =
        parse_text("{ /* note '; expected a, \"mqtt\": {\"password\": \"hunter2\"} and so on");
    REQUIRE(loaded.problems.size() == 1);
    const std::string& message = loaded.problems[0].message;
    CHECK_THAT(message, Catch::Matchers::Contains("missing closing '*/'"));
    CHECK_THAT(message, !Catch::Matchers::Contains("hunter2"));
    CHECK_THAT(message, !Catch::Matchers::Contains("last read"));
    CHECK(message.size() < 200);
    // nlohmann's own suffix, after the excerpt, is kept.
    CHECK_THAT(message, Catch::Matchers::EndsWith("; expected string literal"));
}

TEST_CASE("the top level must be an object", "[config]") {
    for (const char* text : {"[]", "42", "\"mqtt\"", "null"}) {
        LoadedConfig loaded = parse_text(text);
        REQUIRE(loaded.problems.size() == 1);
        CHECK(loaded.problems[0].path == "(top level)");
        CHECK_THAT(loaded.problems[0].message, Catch::Matchers::Contains("expected an object"));
    }
}

TEST_CASE("unknown keys are refused with the allowed keys and a suggestion", "[config]") {
    const ValidationCase cases[] = {
        {R"({"mqqt": {}})", "mqqt", "did you mean `mqtt`?"},
        {R"({"log-level": "info"})", "log-level", "did you mean `log_level`?"},
        {R"({"LOG_LEVEL": "info"})", "LOG_LEVEL", "did you mean `log_level`?"},
        {R"({"mqtt": {"urll": "mqtt://a"}})", "mqtt.urll", "did you mean `url`?"},
        {R"({"mqtt": {"host": "a"}})", "mqtt.host",
         "allowed in `mqtt` are: url, username, password, ca_file, client_id, base_topic"},
        {R"({"polling": {"playing_interval": 5}})", "polling.playing_interval",
         "did you mean `playing_interval_s`?"},
        {R"({"homeassistant": {"discovery_prefx": "ha"}})", "homeassistant.discovery_prefx",
         "did you mean `discovery_prefix`?"},
        {R"({"web": {"port": 8888}})", "web.port", "allowed in `web` are: listen"},
        {R"({"spotify": {"secret": "x"}})", "spotify.secret", "unknown key"},
        {R"({"accounts": [{"name": "a", "token": "x"}]})", "accounts[0].token",
         "allowed in an account are: name, refresh_token"},
        {R"({"colour": "blue"})", "colour", "allowed at the top level are: mqtt,"},
    };
    for (const ValidationCase& c : cases) check_case(c);
    // No far-fetched suggestions.
    CHECK_THAT(parse_text(R"({"colour": 1})").problems.at(0).message,
               !Catch::Matchers::Contains("did you mean"));
}

TEST_CASE("wrong types say what was expected and what was found", "[config]") {
    const ValidationCase cases[] = {
        {R"({"mqtt": 5})", "mqtt", "expected an object { … }, got an integer 5"},
        {R"({"mqtt": {"url": 1883}})", "mqtt.url", "expected a string, got an integer 1883"},
        {R"({"mqtt": {"username": false}})", "mqtt.username",
         "expected a string or null, got a boolean false"},
        {R"({"homeassistant": {"discovery": "yes"}})", "homeassistant.discovery",
         "expected true or false, got a string \"yes\""},
        {R"({"homeassistant": {"media_player": 1}})", "homeassistant.media_player",
         "expected true or false"},
        {R"({"accounts": {"alice": {}}})", "accounts", "expected an array [ … ], got an object"},
        {R"({"accounts": ["alice"]})", "accounts[0]", "expected an object {\"name\": …"},
        {R"({"polling": {"idle_interval_s": "60"}})", "polling.idle_interval_s",
         "expected a whole number of seconds from 1 to 3600, got a string \"60\""},
        {R"({"polling": {"daily_budget": 100}})", "polling.daily_budget",
         "must be a whole number from 500 to 1000000, not 100"},
        {R"({"polling": {"daily_budget": 3219.5}})", "polling.daily_budget",
         "must be a whole number from 500 to 1000000, not 3219.5"},
        {R"({"polling": {"daily_budget": "3219"}})", "polling.daily_budget", "got a string"},
        {R"({"state_dir": null})", "state_dir", "got null (leave the key out to use the default)"},
        {R"({"log_level": ["info"]})", "log_level", "expected a string, got an array"},
        {R"({"web": []})", "web", "expected an object"},
    };
    for (const ValidationCase& c : cases) check_case(c);
}

TEST_CASE("every problem is reported, not just the first", "[config]") {
    LoadedConfig loaded = parse_text(R"({
      "mqtt": { "url": "http://broker", "base_topic": "a/#", "client_id": "" },
      "homeassistant": { "discovery": "yes" },
      "spotify": { "redirect_uri": "http://localhost:8888/callback" },
      "web": { "listen": "everywhere" },
      "accounts": [ { "name": "Alice" }, { "name": "bob" }, { "name": "bob" } ],
      "polling": { "playing_interval_s": 0, "paused_interval_s": 2.5 },
      "log_level": "loud",
      "extra": true
    })");
    std::vector<std::string> paths;
    for (const ConfigProblem& problem : loaded.problems) paths.push_back(problem.path);
    std::sort(paths.begin(), paths.end());
    CHECK(paths == std::vector<std::string>{
                       "accounts[0].name", "accounts[2].name", "extra", "homeassistant.discovery",
                       "log_level", "mqtt.base_topic", "mqtt.client_id", "mqtt.url",
                       "polling.paused_interval_s", "polling.playing_interval_s",
                       "spotify.redirect_uri", "web.listen"});
}

TEST_CASE("describe joins path and message", "[config]") {
    CHECK(s2m::describe({"mqtt.url", "has no host"}) == "mqtt.url: has no host");
}
