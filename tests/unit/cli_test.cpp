// The command-line grammar (docs/configuration.md#command-line).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "config/Cli.h"

using s2m::CliOptions;
using Command = s2m::CliOptions::Command;

namespace {

struct GoodCase {
    std::vector<std::string> args;
    Command command;
    std::optional<std::string> config_path;
    std::optional<std::string> account;
};

struct BadCase {
    std::vector<std::string> args;
    const char* expected;
};

std::string joined(const std::vector<std::string>& args) {
    std::string text;
    for (const std::string& arg : args) text += arg + " ";
    return text;
}

}  // namespace

TEST_CASE("the command line grammar", "[cli]") {
    const GoodCase cases[] = {
        {{}, Command::Run, std::nullopt, std::nullopt},
        {{"run"}, Command::Run, std::nullopt, std::nullopt},
        {{"--config", "/etc/s.json"}, Command::Run, "/etc/s.json", std::nullopt},
        {{"run", "--config=c.json"}, Command::Run, "c.json", std::nullopt},
        {{"check-config"}, Command::CheckConfig, std::nullopt, std::nullopt},
        {{"check-config", "--config", "x.json"}, Command::CheckConfig, "x.json", std::nullopt},
        {{"--config", "x.json", "check-config"}, Command::CheckConfig, "x.json", std::nullopt},
        {{"link"}, Command::Link, std::nullopt, std::nullopt},
        {{"link", "--account", "alice", "--config", "c.json"}, Command::Link, "c.json", "alice"},
        {{"link", "--account=bob"}, Command::Link, std::nullopt, "bob"},
        {{"accounts", "--config=/x=y.json"}, Command::Accounts, "/x=y.json", std::nullopt},
        {{"healthcheck"}, Command::HealthCheck, std::nullopt, std::nullopt},
        {{"healthcheck", "--config", "/c.json"}, Command::HealthCheck, "/c.json", std::nullopt},
        {{"--help"}, Command::Help, std::nullopt, std::nullopt},
        {{"-h"}, Command::Help, std::nullopt, std::nullopt},
        {{"link", "--bogus", "--help"}, Command::Help, std::nullopt, std::nullopt},
        {{"--version"}, Command::Version, std::nullopt, std::nullopt},
        {{"accounts", "-V"}, Command::Version, std::nullopt, std::nullopt},
    };
    for (const GoodCase& c : cases) {
        INFO("args: " << joined(c.args));
        auto parsed = s2m::parse_cli(c.args);
        REQUIRE(parsed.ok());
        const CliOptions& options = parsed.value();
        CHECK(options.command == c.command);
        CHECK(options.config_path == c.config_path);
        CHECK(options.account == c.account);
    }
}

TEST_CASE("wrong command lines get a sentence", "[cli]") {
    const BadCase cases[] = {
        {{"start"},
         "unknown command `start`; the commands are run, check-config, link, accounts and "
         "healthcheck"},
        {{"check_config"}, "did you mean `check-config`?"},
        {{"link", "accounts"}, "unexpected argument `accounts` after the command `link`"},
        {{"--verbose"}, "unknown option `--verbose`"},
        {{"-c", "x.json"}, "unknown option `-c`"},
        {{"--config"}, "--config needs a file name"},
        {{"--config="}, "--config needs a file name, not an empty one"},
        {{"--config", "a", "--config", "b"}, "--config is given twice"},
        {{"link", "--account"}, "--account needs an account name"},
        {{"run", "--account", "alice"}, "--account only applies to the `link` command"},
        {{"--demo"}, "unknown option `--demo`"},
    };
    for (const BadCase& c : cases) {
        INFO("args: " << joined(c.args));
        auto parsed = s2m::parse_cli(c.args);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().kind == s2m::ErrorKind::Refused);
        CHECK_THAT(parsed.error().message, Catch::Matchers::Contains(c.expected));
    }
}

TEST_CASE("the help text covers commands, options, lookup, overrides and exit codes", "[cli]") {
    std::string help = s2m::help_text();
    for (const char* expected :
         {"Usage:", "check-config", "link", "accounts", "--config FILE", "--account NAME", "--help",
          "--version", "$SPOTIFY2MQTT_CONFIG", "./config/spotify2mqtt.json",
          "/etc/spotify2mqtt/config.json", "SPOTIFY2MQTT__SECTION__KEY", "SPOTIFY2MQTT__MQTT__URL",
          "64", "78", "README", "relative state_dir", "folder of that file"}) {
        CHECK_THAT(help, Catch::Matchers::Contains(expected));
    }
    CHECK(s2m::kExitUsage == 64);
    CHECK(s2m::kExitConfig == 78);
}
