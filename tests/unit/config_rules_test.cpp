// The rule each configuration value must follow (docs/configuration.md#keys), good and bad, and the
// promise that no problem ever shows a secret.
#include <catch2/catch.hpp>

#include <string>

#include "ConfigTestSupport.h"
#include "config/ConfigChecks.h"
#include "config/ConfigLoader.h"

using s2m::LoadedConfig;

using s2m::test::all_problems;

namespace {

LoadedConfig parse_rules(const std::string& text, const s2m::Environment& env = {}) {
    return s2m::parse_config(text, env, "rules.json");
}

// `section` and `key` get `value` (JSON text); valid when `expected` is null, else exactly one
// problem, at section.key, containing `expected`.
struct RuleCase {
    const char* value;
    const char* expected;
};

void check_rule(const std::string& section, const std::string& key, const RuleCase& c) {
    std::string json = section.empty()
                           ? "{\"" + key + "\": " + c.value + "}"
                           : "{\"" + section + "\": {\"" + key + "\": " + c.value + "}}";
    INFO("config: " << json);
    LoadedConfig loaded = parse_rules(json);
    INFO("problems:\n" << all_problems(loaded));
    if (c.expected == nullptr) {
        CHECK(loaded.ok());
        return;
    }
    REQUIRE(loaded.problems.size() == 1);
    CHECK(loaded.problems[0].path == (section.empty() ? key : section + "." + key));
    CHECK_THAT(loaded.problems[0].message, Catch::Matchers::Contains(c.expected));
}

}  // namespace

TEST_CASE("mqtt.url is mqtt:// or mqtts:// with a host and an optional port", "[config]") {
    const RuleCase cases[] = {
        {R"("mqtt://127.0.0.1:1883")", nullptr},
        {R"("mqtts://broker.example.org")", nullptr},
        {R"("MQTT://broker:1")", nullptr},
        {R"("mqtt://[::1]:65535")", nullptr},
        {R"("mqtt://mosquitto/")", nullptr},
        {R"("tcp://broker:1883")", "use mqtt:// for plain MQTT or mqtts:// for MQTT over TLS"},
        {R"("broker:1883")", "is not a URL"},
        {R"("mqtt://")", "has no host"},
        {R"("mqtt://:1883")", "has no host"},
        {R"("mqtt://broker:0")", "not a number from 1 to 65535"},
        {R"("mqtt://broker:65536")", "not a number from 1 to 65535"},
        {R"("mqtt://broker:")", "not a number from 1 to 65535"},
        {R"("mqtt://bro ker")", "not a valid host name"},
        {R"("mqtt://::1:1883")", "write IPv6 addresses in brackets"},
        {R"("mqtt://[::1")", "without its closing ']'"},
        {R"("mqtt://broker/topic")", "has a path"},
        {R"("mqtt://user:pw@broker")", "put them in mqtt.username and mqtt.password"},
    };
    for (const RuleCase& c : cases) check_rule("mqtt", "url", c);
}

TEST_CASE("topics have no wildcards, no outer slashes and no empty level", "[config]") {
    const RuleCase cases[] = {
        {R"("spotify2mqtt")", nullptr},
        {R"("home/media/spotify")", nullptr},
        {R"("")", "must not be empty"},
        {R"("spotify/+")", "wildcards"},
        {R"("spotify/#")", "wildcards"},
        {R"("/spotify")", "must not start or end with '/'"},
        {R"("spotify/")", "must not start or end with '/'"},
        {R"("home//spotify")", "empty topic level"},
        // The broker keeps topics starting with '$' to itself: clients cannot publish there.
        {R"("$SYS/spotify")", "must not start with '$'"},
        {R"("$spotify")", "must not start with '$'"},
        {R"("spot\u0000ify")", "NUL"},
        {R"("spot\nify")", "control character"},
    };
    for (const RuleCase& c : cases) {
        check_rule("mqtt", "base_topic", c);
        check_rule("homeassistant", "discovery_prefix", c);
        check_rule("homeassistant", "status_topic", c);
    }
}

TEST_CASE("mqtt.client_id is non-empty without spaces", "[config]") {
    const RuleCase cases[] = {
        {R"("spotify2mqtt")", nullptr},
        {R"("a-client-id-that-is-longer-than-23-characters")", nullptr},
        {R"("")", "must not be empty"},
        {R"("my client")", "must not contain spaces"},
    };
    for (const RuleCase& c : cases) check_rule("mqtt", "client_id", c);
}

TEST_CASE("spotify.api_url and accounts_url are https URLs, or http on loopback", "[config]") {
    const RuleCase cases[] = {
        {R"("https://api.spotify.com/v1")", nullptr},
        {R"("http://127.0.0.1:9090")", nullptr},
        {R"("http://[::1]:9090/v1")", nullptr},
        {R"("http://localhost:9090")", nullptr},
        {R"("http://api.spotify.com/v1")", "uses plain http:// to `api.spotify.com`"},
        {R"("http://192.168.1.20:9090")", "tokens and the client secret would cross the network"},
        {R"("ftp://api.spotify.com")", "must be an http:// or https:// URL"},
        {R"("https://")", "has no host"},
        {R"("api.spotify.com")", "is not a URL"},
    };
    for (const RuleCase& c : cases) {
        check_rule("spotify", "api_url", c);
        check_rule("spotify", "accounts_url", c);
    }
}

TEST_CASE("spotify.redirect_uri is https or http on a loopback IP, with a path", "[config]") {
    const RuleCase cases[] = {
        {R"("http://127.0.0.1:8888/callback")", nullptr},
        {R"("http://[::1]:8888/callback")", nullptr},
        {R"("https://home.example.org/spotify/callback")", nullptr},
        {R"("http://localhost:8888/callback")",
         "Spotify refuses in redirect URIs; use the loopback IP address instead: "
         "http://127.0.0.1:8888/callback"},
        {R"("http://192.168.1.5:8888/callback")",
         "Spotify accepts plain http only for the loopback addresses 127.0.0.1 and [::1]"},
        {R"("http://127.0.0.1:8888")", "needs a path such as /callback"},
        {R"("http://127.0.0.1:8888/")", "needs a path such as /callback"},
        {R"("spotify2mqtt://callback")", "must be an https:// URL or http:// with a loopback IP"},
    };
    for (const RuleCase& c : cases) check_rule("spotify", "redirect_uri", c);
}

TEST_CASE("web.listen is IP:PORT or null", "[config]") {
    const RuleCase cases[] = {
        {R"("127.0.0.1:8888")", nullptr},
        {R"("0.0.0.0:80")", nullptr},
        {R"("[::]:8888")", nullptr},
        {R"(null)", nullptr},
        {R"("127.0.0.1")", "has no port"},
        {R"("localhost:8888")", "write the address instead, e.g. 127.0.0.1:8888"},
        {R"("myhost:8888")", "`myhost` is not an IP address"},
        {R"("127.0.0.1:99999")", "not a number from 1 to 65535"},
        {R"("::1:8888")", "write IPv6 addresses in brackets"},
        {R"("")", "write null to leave it unset"},
    };
    for (const RuleCase& c : cases) check_rule("web", "listen", c);
}

TEST_CASE("state_dir and log_level", "[config]") {
    check_rule("", "state_dir", {R"("/data")", nullptr});
    check_rule("", "state_dir", {R"("")", "must not be empty"});
    for (const char* good : {R"("trace")", R"("debug")", R"("info")", R"("warning")", R"("warn")",
                             R"("error")", R"("DEBUG")"}) {
        check_rule("", "log_level", {good, nullptr});
    }
    check_rule("", "log_level",
               {R"("verbose")", "must be one of trace, debug, info, warning, error"});
    CHECK(parse_rules(R"({"log_level": "warn"})").config.log_level == "warning");
    CHECK(parse_rules(R"({"log_level": "DEBUG"})").config.log_level == "debug");
}

TEST_CASE("polling intervals are whole seconds from 1 to 3600", "[config]") {
    const RuleCase cases[] = {
        {"1", nullptr},
        {"3600", nullptr},
        {"10.0", nullptr},
        {"10.5", "must be a whole number of seconds from 1 to 3600, not 10.5"},
        {"0", "must be from 1 to 3600 seconds, not 0"},
        {"-5", "from 1 to 3600"},
        {"3601", "from 1 to 3600"},
        {"1e10", "from 1 to 3600"},
        {"true", "expected a whole number of seconds"},
    };
    for (const char* key : {"playing_interval_s", "paused_interval_s", "idle_interval_s"}) {
        for (const RuleCase& c : cases) check_rule("polling", key, c);
    }
    CHECK(parse_rules(R"({"polling": {"idle_interval_s": 10.0}})").config.polling.idle_interval_s ==
          10);
}

TEST_CASE("accounts have unique slug names and optional refresh tokens", "[config]") {
    const RuleCase cases[] = {
        {R"([])", nullptr},
        {R"([{"name": "alice"}, {"name": "bob-2", "refresh_token": "AQ"}])", nullptr},
        {R"([{"name": "a_b-c012345678901234567890123456"}])", nullptr},
    };
    for (const RuleCase& c : cases) check_rule("", "accounts", c);

    struct AccountCase {
        const char* accounts;
        const char* path;
        const char* expected;
    };
    const AccountCase bad[] = {
        {R"([{"name": "Alice"}])", "accounts[0].name", "may only contain lower-case letters"},
        {R"([{"name": "al ice"}])", "accounts[0].name", "may only contain lower-case letters"},
        {R"([{"name": ""}])", "accounts[0].name", "must not be empty"},
        {R"([{"name": "a23456789012345678901234567890123"}])", "accounts[0].name",
         "is 33 characters long; the limit is 32"},
        {R"([{"refresh_token": null}])", "accounts[0].name", "is missing"},
        {R"([{"name": "a"}, {"name": "b"}, {"name": "a"}])", "accounts[2].name",
         "`a` is already used by accounts[0]"},
        {R"([{"name": "a", "refresh_token": ""}])", "accounts[0].refresh_token",
         "write null to leave it unset"},
        {R"([{"name": 7}])", "accounts[0].name", "expected a string, got an integer 7"},
        {R"([{"name": "a", "client_id": ""}])", "accounts[0].client_id", "write null"},
        {R"([{"name": "a", "client_secret": "s"}])", "accounts[0].client_secret",
         "has no client_id of its own"},
        {R"([{"name": "a", "client_id": "app two"}])", "accounts[0].client_id", "space"},
    };
    for (const AccountCase& c : bad) {
        LoadedConfig loaded = parse_rules(std::string("{\"accounts\": ") + c.accounts + "}");
        INFO(c.accounts << "\n" << all_problems(loaded));
        REQUIRE(loaded.problems.size() == 1);
        CHECK(loaded.problems[0].path == c.path);
        CHECK_THAT(loaded.problems[0].message, Catch::Matchers::Contains(c.expected));
    }
}

TEST_CASE("credentials that belong together", "[config]") {
    // An empty client id is fine on its own: the bridge runs and explains how to create an app.
    CHECK(parse_rules(R"({"spotify": {"client_id": ""}})").ok());
    LoadedConfig secret_only = parse_rules(R"({"spotify": {"client_secret": "s3cr3t-value"}})");
    REQUIRE(secret_only.problems.size() == 1);
    CHECK(secret_only.problems[0].path == "spotify.client_id");
    CHECK_THAT(secret_only.problems[0].message,
               Catch::Matchers::Contains("spotify.client_secret is set"));

    LoadedConfig password_only = parse_rules(R"({"mqtt": {"password": "pw"}})");
    REQUIRE(password_only.problems.size() == 1);
    CHECK(password_only.problems[0].path == "mqtt.password");
    CHECK(parse_rules(R"({"mqtt": {"username": "u", "password": "pw"}})").ok());
    CHECK(parse_rules(R"({"mqtt": {"username": "u"}})").ok());
}

TEST_CASE("an account may link through its own Spotify app", "[config]") {
    LoadedConfig loaded = parse_rules(R"({
        "spotify": {"client_id": "main-app", "client_secret": "main-secret"},
        "accounts": [{"name": "a"},
                     {"name": "b", "client_id": "b-app"},
                     {"name": "c", "client_id": "c-app", "client_secret": "c-secret"}]})");
    INFO(all_problems(loaded));
    REQUIRE(loaded.ok());
    const s2m::Config& config = loaded.config;
    CHECK(config.spotify_for("a").client_id == "main-app");
    CHECK(config.spotify_for("a").client_secret == "main-secret");
    CHECK(config.spotify_for("unknown").client_id == "main-app");  // linked later from the page
    // Another app never gets the default app's secret: without its own, it is PKCE.
    CHECK(config.spotify_for("b").client_id == "b-app");
    CHECK_FALSE(config.spotify_for("b").client_secret.has_value());
    CHECK(config.spotify_for("c").client_secret == "c-secret");
    CHECK(config.spotify_for("c").api_url == config.spotify.api_url);
}

TEST_CASE("problems never show secret values", "[config][secrets]") {
    const std::string secret = "Sup3rS3cretValue";
    const std::string texts[] = {
        R"({"mqtt": {"username": "u", "password": 123456789}})",
        R"({"mqtt": {"username": "u", "password": ["Sup3rS3cretValue"]}})",
        R"({"spotify": {"client_secret": "Sup3rS3cretValue"}})",
        R"({"spotify": {"client_id": "id", "client_secret": "Sup3rS3cret Value"}})",
        R"({"spotify": {"client_id": "id", "client_secret": true}})",
        R"({"accounts": [{"name": "a", "refresh_token": 123456789}]})",
        R"({"accounts": [{"name": "a", "refresh_token": "Sup3rS3cretValue "}]})",
        R"({"mqtt": {"url": "mqtt://user:Sup3rS3cretValue@broker"}})",
        R"({"mqtt": {"password": "Sup3rS3cretValue")",
        R"({"mqtt": {"password": Sup3rS3cretValue}})",
        R"({"accounts": ["Sup3rS3cretValue"]})",
        R"({"accounts": [{"name": "a", "client_secret": "Sup3rS3cretValue"}]})",
        R"({"accounts": [{"name": "a", "client_id": "x", "client_secret": 123456789}]})",
    };
    for (const std::string& text : texts) {
        LoadedConfig loaded = parse_rules(text);
        std::string problems = all_problems(loaded);
        INFO(text << "\n" << problems);
        CHECK_FALSE(loaded.ok());
        CHECK_THAT(problems,
                   !Catch::Matchers::Contains(secret) && !Catch::Matchers::Contains("123456789"));
    }
    LoadedConfig from_env = parse_rules(
        "{}", {{"SPOTIFY2MQTT__MQTT__PASSWORDS", secret},
               {"SPOTIFY2MQTT__SPOTIFY__CLIENT_SECRET", secret + " x"},
               {"SPOTIFY2MQTT__SPOTIFY", "{\"client_secret\": \"" + secret + "\""},
               {"SPOTIFY2MQTT__ACCOUNTS", "[{\"name\":\"a\",\"refresh_token\":\"" + secret}});
    CHECK(from_env.problems.size() == 4);
    CHECK_THAT(all_problems(from_env), !Catch::Matchers::Contains(secret));
}

TEST_CASE("split_url takes URLs apart for the adapters", "[config]") {
    auto split = s2m::split_url("MQTTS://u@[fe80::1]:8883/x?y");
    REQUIRE(split.ok());
    const s2m::UrlParts& parts = split.value();
    CHECK(parts.scheme == "mqtts");
    CHECK(parts.userinfo == "u");
    CHECK(parts.host == "fe80::1");
    CHECK(parts.host_is_ipv6);
    CHECK(parts.port == 8883);
    CHECK(parts.path == "/x?y");

    auto split_plain = s2m::split_url("http://127.0.0.1:8888/callback");
    REQUIRE(split_plain.ok());
    const s2m::UrlParts& plain = split_plain.value();
    CHECK(plain.host == "127.0.0.1");
    CHECK(plain.port == 8888);
    CHECK(plain.path == "/callback");

    CHECK_FALSE(s2m::split_url("https://host")->port);
    CHECK_FALSE(s2m::split_url("no scheme").ok());
    CHECK(s2m::split_url("no scheme").error().kind == s2m::ErrorKind::Refused);
}
