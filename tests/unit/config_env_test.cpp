// SPOTIFY2MQTT__SECTION__KEY environment overrides and the config file lookup order
// (docs/configuration.md#environment-variables).
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "ConfigTestSupport.h"
#include "config/ConfigLoader.h"
#include "core/Command.h"  // is_valid_utf8

using s2m::Environment;
using s2m::LoadedConfig;

namespace fs = std::filesystem;

using s2m::test::all_problems;

namespace {

LoadedConfig parse_with_env(const std::string& text, const Environment& env) {
    return s2m::parse_config(text, env, "env.json");
}

// A fresh directory under /tmp, removed with everything in it at the end of the test.
class TempDir {
  public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "s2m-config-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    // Writes `contents` to `relative` (creating directories) and returns the full path.
    std::string write(const std::string& relative, const std::string& contents) const {
        fs::path file = path_ / relative;
        fs::create_directories(file.parent_path());
        std::ofstream(file) << contents;
        return file.string();
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

// Changes the working directory for the scope of a test, since ./config/… is relative to it.
class WorkingDirectory {
  public:
    explicit WorkingDirectory(const fs::path& directory) : previous_(fs::current_path()) {
        fs::current_path(directory);
    }
    ~WorkingDirectory() { fs::current_path(previous_); }
    WorkingDirectory(const WorkingDirectory&) = delete;
    WorkingDirectory& operator=(const WorkingDirectory&) = delete;

  private:
    fs::path previous_;
};

std::string config_with_level(const char* level) {
    return std::string("{\"log_level\": \"") + level + "\"}";
}

}  // namespace

TEST_CASE("environment overrides set values of every type", "[config][env]") {
    LoadedConfig loaded =
        parse_with_env(R"({"mqtt": {"url": "mqtt://file:1883", "username": "file"}})",
                       {
                           {"SPOTIFY2MQTT__MQTT__URL", "mqtts://env.lan:8883"},
                           {"SPOTIFY2MQTT__MQTT__USERNAME", "null"},
                           {"SPOTIFY2MQTT__POLLING__PLAYING_INTERVAL_S", "5"},
                           {"SPOTIFY2MQTT__POLLING__IDLE_INTERVAL_S", "120.0"},
                           {"SPOTIFY2MQTT__HOMEASSISTANT__DISCOVERY", "false"},
                           {"SPOTIFY2MQTT__STATE_DIR", "/data"},
                           {"SPOTIFY2MQTT__SPOTIFY__CLIENT_ID", "\"quoted-id\""},
                           {"SPOTIFY2MQTT__WEB__LISTEN", "null"},
                           {"SPOTIFY2MQTT__LOG_LEVEL", "debug"},
                           {"SPOTIFY2MQTT_CONFIG", "/not/an/override.json"},
                           {"HOME", "/root"},
                       });
    INFO(all_problems(loaded));
    REQUIRE(loaded.ok());
    const s2m::Config& c = loaded.config;
    CHECK(c.mqtt.url == "mqtts://env.lan:8883");
    CHECK_FALSE(c.mqtt.username);
    CHECK(c.polling.playing_interval_s == 5);
    CHECK(c.polling.idle_interval_s == 120);
    CHECK_FALSE(c.homeassistant.discovery);
    CHECK(c.state_dir == "/data");
    CHECK(c.spotify.client_id == "quoted-id");
    CHECK_FALSE(c.web.listen);
    CHECK(c.log_level == "debug");
}

TEST_CASE("string keys keep digits and words as written", "[config][env]") {
    LoadedConfig loaded = parse_with_env("{}", {{"SPOTIFY2MQTT__MQTT__USERNAME", "1234"},
                                                {"SPOTIFY2MQTT__MQTT__PASSWORD", "true"},
                                                {"SPOTIFY2MQTT__SPOTIFY__CLIENT_ID", "0123abcd"}});
    INFO(all_problems(loaded));
    REQUIRE(loaded.ok());
    CHECK(loaded.config.mqtt.username == "1234");
    CHECK(loaded.config.mqtt.password == "true");
    CHECK(loaded.config.spotify.client_id == "0123abcd");
}

TEST_CASE("override names are case-insensitive", "[config][env]") {
    LoadedConfig loaded = parse_with_env("{}", {{"spotify2mqtt__Mqtt__Base_Topic", "lower"}});
    INFO(all_problems(loaded));
    REQUIRE(loaded.ok());
    CHECK(loaded.config.mqtt.base_topic == "lower");
}

TEST_CASE("accounts and whole sections can be set as JSON", "[config][env]") {
    LoadedConfig loaded = parse_with_env(
        R"({"polling": {"paused_interval_s": 45}})",
        {{"SPOTIFY2MQTT__ACCOUNTS", R"([{"name":"alice","refresh_token":"AQ1"},{"name":"bob"}])"},
         {"SPOTIFY2MQTT__POLLING", R"({"idle_interval_s": 90})"},
         {"SPOTIFY2MQTT__POLLING__PLAYING_INTERVAL_S", "3"}});
    INFO(all_problems(loaded));
    REQUIRE(loaded.ok());
    REQUIRE(loaded.config.accounts.size() == 2);
    CHECK(loaded.config.accounts[0].refresh_token == "AQ1");
    CHECK(loaded.config.accounts[1].name == "bob");
    // The section replaces the file's; the more specific override still applies on top.
    CHECK(loaded.config.polling.idle_interval_s == 90);
    CHECK(loaded.config.polling.paused_interval_s == 30);
    CHECK(loaded.config.polling.playing_interval_s == 3);
}

TEST_CASE("an account's key can be set by name or position", "[config][env]") {
    const std::string file = R"({"accounts": [{"name": "alice"}, {"name": "bob"}]})";
    LoadedConfig loaded =
        parse_with_env(file, {{"SPOTIFY2MQTT__ACCOUNTS__BOB__REFRESH_TOKEN", "AQb"},
                              {"SPOTIFY2MQTT__ACCOUNTS__0__REFRESH_TOKEN", "AQa"}});
    INFO(all_problems(loaded));
    REQUIRE(loaded.ok());
    CHECK(loaded.config.accounts.at(0).refresh_token == "AQa");
    CHECK(loaded.config.accounts.at(1).refresh_token == "AQb");

    LoadedConfig missing =
        parse_with_env(file, {{"SPOTIFY2MQTT__ACCOUNTS__CAROL__REFRESH_TOKEN", "x"}});
    REQUIRE(missing.problems.size() == 1);
    CHECK(missing.problems[0].path == "accounts");
    CHECK_THAT(missing.problems[0].message, Catch::Matchers::Contains("no account `carol`"));
}

TEST_CASE("bad overrides are problems naming the variable", "[config][env]") {
    struct Case {
        const char* variable;
        const char* value;
        const char* path;
        const char* expected;
    };
    const Case cases[] = {
        {"SPOTIFY2MQTT__MQTT__HOST", "broker", "mqtt.host",
         "unknown key (set by the environment variable SPOTIFY2MQTT__MQTT__HOST); allowed in "
         "`mqtt` are: url,"},
        {"SPOTIFY2MQTT__POLLING__PLAYING_INTERVAL", "5", "polling.playing_interval",
         "did you mean `playing_interval_s`?"},
        {"SPOTIFY2MQTT__MQQT__URL", "mqtt://x", "mqqt", "did you mean `mqtt`?"},
        {"SPOTIFY2MQTT__STATE_DIR__PATH", "/x", "state_dir",
         "has no keys below it, but the environment variable SPOTIFY2MQTT__STATE_DIR__PATH"},
        {"SPOTIFY2MQTT__MQTT____URL", "mqtt://x", "SPOTIFY2MQTT__MQTT____URL",
         "exactly two underscores"},
        {"SPOTIFY2MQTT__", "x", "SPOTIFY2MQTT__", "is not a valid override"},
        {"SPOTIFY2MQTT__POLLING__PLAYING_INTERVAL_S", "fast", "polling.playing_interval_s",
         "(set by the environment variable SPOTIFY2MQTT__POLLING__PLAYING_INTERVAL_S)"},
        {"SPOTIFY2MQTT__MQTT__URL", "http://x", "mqtt.url",
         "(set by the environment variable SPOTIFY2MQTT__MQTT__URL)"},
        {"SPOTIFY2MQTT__ACCOUNTS", R"([{"name":"Bad"}])", "accounts[0].name",
         "(set by the environment variable SPOTIFY2MQTT__ACCOUNTS)"},
        {"SPOTIFY2MQTT__ACCOUNTS", "alice", "accounts", "expected an array"},
    };
    for (const Case& c : cases) {
        LoadedConfig loaded = parse_with_env("{}", {{c.variable, c.value}});
        INFO(c.variable << "=" << c.value << "\n" << all_problems(loaded));
        REQUIRE(loaded.problems.size() == 1);
        CHECK(loaded.problems[0].path == c.path);
        CHECK_THAT(loaded.problems[0].message, Catch::Matchers::Contains(c.expected));
    }
}

TEST_CASE("an override cannot reach into a section the file has wrong", "[config][env]") {
    LoadedConfig loaded =
        parse_with_env(R"({"mqtt": 5})", {{"SPOTIFY2MQTT__MQTT__URL", "mqtt://x"}});
    CHECK(loaded.problems.size() == 2);
    CHECK_THAT(all_problems(loaded),
               Catch::Matchers::Contains("mqtt: is not an object, so the "
                                         "environment variable SPOTIFY2MQTT__MQTT__URL") &&
                   Catch::Matchers::Contains("mqtt: expected an object"));
}

TEST_CASE("environment_from reads NAME=VALUE entries", "[config][env]") {
    char a[] = "SPOTIFY2MQTT__MQTT__URL=mqtt://h:1=2";
    char b[] = "EMPTY=";
    char c[] = "NO_EQUALS";
    char* envp[] = {a, b, c, nullptr};
    Environment env = s2m::environment_from(envp);
    CHECK(env == Environment{{"SPOTIFY2MQTT__MQTT__URL", "mqtt://h:1=2"}, {"EMPTY", ""}});
    CHECK(s2m::environment_from(nullptr).empty());
}

TEST_CASE("the config file is found in the documented order", "[config][lookup]") {
    TempDir dir;
    std::string cli = dir.write("cli.json", config_with_level("trace"));
    std::string from_env = dir.write("env.json", config_with_level("debug"));
    std::string first = dir.write("first/config.json", config_with_level("warning"));
    std::string second = dir.write("second/config.json", config_with_level("error"));
    std::string absent = (dir.path() / "absent.json").string();
    const Environment env{{"SPOTIFY2MQTT_CONFIG", from_env}};
    const std::vector<std::string> locations{absent, first, second};

    SECTION("--config wins over everything") {
        LoadedConfig loaded = s2m::load_config(cli, env, locations);
        REQUIRE(loaded.ok());
        CHECK(loaded.config.log_level == "trace");
        CHECK(loaded.config.source == cli);
    }
    SECTION("then $SPOTIFY2MQTT_CONFIG") {
        LoadedConfig loaded = s2m::load_config(std::nullopt, env, locations);
        REQUIRE(loaded.ok());
        CHECK(loaded.config.log_level == "debug");
        CHECK(loaded.config.source == from_env);
    }
    SECTION("then the first default location that exists") {
        LoadedConfig loaded =
            s2m::load_config(std::nullopt, {{"SPOTIFY2MQTT_CONFIG", ""}}, locations);
        REQUIRE(loaded.ok());
        CHECK(loaded.config.log_level == "warning");
        CHECK(loaded.config.source == first);
        CHECK(s2m::load_config(std::nullopt, {}, {absent, second}).config.log_level == "error");
    }
    SECTION("else the built-in defaults, still with overrides") {
        LoadedConfig loaded =
            s2m::load_config(std::nullopt, {{"SPOTIFY2MQTT__LOG_LEVEL", "error"}}, {absent});
        REQUIRE(loaded.ok());
        CHECK(loaded.config.source == "(built-in defaults)");
        CHECK(loaded.config.log_level == "error");
    }
    SECTION("a file named explicitly must exist") {
        LoadedConfig by_cli = s2m::load_config(absent, env, locations);
        REQUIRE(by_cli.problems.size() == 1);
        CHECK(by_cli.problems[0].path == "--config");
        CHECK_THAT(by_cli.problems[0].message, Catch::Matchers::Contains("does not exist"));

        LoadedConfig by_env =
            s2m::load_config(std::nullopt, {{"SPOTIFY2MQTT_CONFIG", absent}}, locations);
        REQUIRE(by_env.problems.size() == 1);
        CHECK(by_env.problems[0].path == "SPOTIFY2MQTT_CONFIG");

        LoadedConfig directory = s2m::load_config(dir.path().string(), {}, locations);
        REQUIRE(directory.problems.size() == 1);
        CHECK_THAT(directory.problems[0].message, Catch::Matchers::Contains("is a directory"));
    }
}

TEST_CASE("./config/spotify2mqtt.json is relative to the working directory", "[config][lookup]") {
    TempDir dir;
    dir.write("config/spotify2mqtt.json", config_with_level("debug"));
    WorkingDirectory inside(dir.path());
    LoadedConfig loaded = s2m::load_config(std::nullopt, {});
    REQUIRE(loaded.ok());
    CHECK(loaded.config.log_level == "debug");
    CHECK(loaded.config.source == "./config/spotify2mqtt.json");
}

// Started from another folder (a service manager, `cd /tmp && …/spotify2mqtt accounts`), a
// relative state_dir used to name another token store than the one the bridge wrote to.
TEST_CASE("a relative state_dir belongs to the config file's folder, not the working directory",
          "[config][lookup]") {
    TempDir dir;
    std::string with_dir = dir.write("conf/with.json", R"({"state_dir": "tokens"})");
    std::string without_dir = dir.write("conf/without.json", "{}");
    std::string absolute = dir.write("conf/absolute.json", R"({"state_dir": "/srv/s2m"})");
    dir.write("conf/here.json", R"({"state_dir": "./tokens"})");
    fs::create_directories(dir.path() / "elsewhere");
    WorkingDirectory inside(dir.path() / "elsewhere");
    fs::path conf = dir.path() / "conf";

    SECTION("a relative value from the file") {
        CHECK(s2m::load_config(with_dir, {}, {}).config.state_dir == (conf / "tokens").string());
    }
    SECTION("the default, when the file names none") {
        CHECK(s2m::load_config(without_dir, {}, {}).config.state_dir == (conf / "state").string());
    }
    SECTION("a relative value from the environment") {
        Environment env{{"SPOTIFY2MQTT__STATE_DIR", "../demo"}};
        CHECK(s2m::load_config(with_dir, env, {}).config.state_dir ==
              (dir.path() / "demo").string());
    }
    SECTION("a config path relative to the working directory") {
        CHECK(s2m::load_config("../conf/with.json", {}, {}).config.state_dir == "../conf/tokens");
    }
    SECTION("an absolute value stays as written") {
        CHECK(s2m::load_config(absolute, {}, {}).config.state_dir == "/srv/s2m");
    }
    SECTION("a file in the working directory keeps the value as written") {
        WorkingDirectory conf_dir(conf);
        CHECK(s2m::load_config("here.json", {}, {}).config.state_dir == "./tokens");
    }
    SECTION("without a file, the working directory") {
        CHECK(s2m::load_config(std::nullopt, {}, {}).config.state_dir == "./state");
    }
}

TEST_CASE("CA files named in the config must be readable", "[config][lookup]") {
    TempDir dir;
    std::string ca = dir.write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
    std::string config = dir.write("c.json", R"({"mqtt": {"ca_file": ")" + ca +
                                                 R"("}, "spotify": {"ca_file": "/no/ca.pem"}})");
    LoadedConfig loaded = s2m::load_config(config, {}, {});
    REQUIRE(loaded.problems.size() == 1);
    CHECK(loaded.problems[0].path == "spotify.ca_file");
    CHECK_THAT(loaded.problems[0].message,
               Catch::Matchers::Contains("`/no/ca.pem`, which does not exist"));
}

// Found by fuzz/config_loader_fuzz: a value with bytes that are not UTF-8 was quoted into the
// problem message, which then could not be shown as text (nor serialised as JSON).
TEST_CASE("an environment override that is not UTF-8 is a problem that names it, in valid UTF-8",
          "[config]") {
    LoadedConfig loaded =
        parse_with_env("{}", {{"SPOTIFY2MQTT__MQTT__URL", std::string("mqtt://h\xff:1883")}});
    REQUIRE(loaded.problems.size() == 1);
    CHECK(loaded.problems[0].path == "SPOTIFY2MQTT__MQTT__URL");
    CHECK(loaded.problems[0].message.find("not valid UTF-8") != std::string::npos);
    CHECK(s2m::is_valid_utf8(s2m::describe(loaded.problems[0])));
    CHECK(loaded.config.mqtt.url == "mqtt://127.0.0.1:1883");  // the override was not applied
}

TEST_CASE("a syntax error next to bytes that are not UTF-8 is still reported in valid UTF-8",
          "[config]") {
    LoadedConfig loaded = parse_with_env(std::string("{\"mqtt\": \xe9\x9e\x00\xc0`}", 14), {});
    REQUIRE_FALSE(loaded.ok());
    for (const auto& problem : loaded.problems) CHECK(s2m::is_valid_utf8(s2m::describe(problem)));
}

TEST_CASE("an empty override changes nothing, as compose's ${VAR:-} expects", "[config][env]") {
    LoadedConfig loaded =
        parse_with_env(R"({"spotify": {"client_id": "id", "client_secret": "from-file"}})",
                       {{"SPOTIFY2MQTT__SPOTIFY__CLIENT_SECRET", ""},
                        {"SPOTIFY2MQTT__MQTT__URL", ""},
                        {"SPOTIFY2MQTT__WEB__LISTEN", ""}});
    INFO(all_problems(loaded));
    REQUIRE(loaded.ok());
    CHECK(loaded.config.spotify.client_secret == "from-file");
    CHECK(loaded.config.mqtt.url == "mqtt://127.0.0.1:1883");
    CHECK(loaded.config.web.listen == "127.0.0.1:8888");
    // Typos are still found when the value is empty.
    LoadedConfig typo = parse_with_env("{}", {{"SPOTIFY2MQTT__MQTT__PASWORD", ""}});
    CHECK_FALSE(typo.ok());
    CHECK_THAT(all_problems(typo), Catch::Contains("mqtt.pasword"));
}
