// Where the Spotify app comes from (core/SpotifyApp), the page's store of it
// (adapters/store/FileAppStore) and the config keys that go with it.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "ConfigTestSupport.h"
#include "adapters/store/FileAppStore.h"
#include "config/ConfigChecks.h"
#include "core/SpotifyApp.h"

using namespace s2m;

namespace {
struct AppStoreDir {
    std::filesystem::path path;
    AppStoreDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "s2m-app-XXXXXX").string();
        path = mkdtemp(pattern.data());
    }
    ~AppStoreDir() { std::filesystem::remove_all(path); }
};
}  // namespace

TEST_CASE("the config and the environment win over the page's app - the page over nothing",
          "[app_settings]") {
    StoredApp stored{"pageid", std::string("pagesecret")};
    SpotifyConfig configured;
    CHECK(choose_app(configured, std::nullopt).source == AppSource::None);
    CHECK(choose_app(configured, std::nullopt).client_id.empty());

    ChosenApp page = choose_app(configured, stored);
    CHECK(page.source == AppSource::Page);
    CHECK(page.client_id == "pageid");
    CHECK(page.client_secret == std::optional<std::string>("pagesecret"));

    configured.client_id = "configid";
    ChosenApp config = choose_app(configured, stored);
    CHECK(config.source == AppSource::ConfigFile);
    CHECK(config.client_id == "configid");
    CHECK_FALSE(config.client_secret);  // never the page's secret with another app

    configured.client_id_from_environment = true;
    CHECK(choose_app(configured, stored).source == AppSource::EnvVariable);
    CHECK(app_source_name(AppSource::EnvVariable) == "environment");
}

TEST_CASE("the config says whether the client id came from the environment", "[app_settings]") {
    LoadedConfig file = parse_config(R"({"spotify": {"client_id": "abc"}})", {}, "c.json");
    REQUIRE(file.ok());
    CHECK_FALSE(file.config.spotify.client_id_from_environment);
    LoadedConfig env = parse_config("{}", {{"SPOTIFY2MQTT__SPOTIFY__CLIENT_ID", "abc"}}, "c.json");
    REQUIRE(env.ok());
    CHECK(env.config.spotify.client_id == "abc");
    CHECK(env.config.spotify.client_id_from_environment);
}

TEST_CASE("a config without spotify.client_id is valid: the page supplies it", "[app_settings]") {
    LoadedConfig loaded = parse_config(R"({"web": {"listen": "0.0.0.0:8888"}})", {}, "c.json");
    INFO(test::all_problems(loaded));
    CHECK(loaded.ok());
    CHECK(loaded.config.spotify.client_id.empty());
}

TEST_CASE("web.setup_code: long enough, no spaces, never quoted in a message", "[app_settings]") {
    LoadedConfig good = parse_config(R"({"web": {"setup_code": "correct-horse"}})", {}, "c.json");
    REQUIRE(good.ok());
    CHECK(good.config.web.setup_code == std::optional<std::string>("correct-horse"));
    LoadedConfig short_code = parse_config(R"({"web": {"setup_code": "abc12"}})", {}, "c.json");
    REQUIRE_FALSE(short_code.ok());
    std::string problems = test::all_problems(short_code);
    CHECK(problems.find("web.setup_code") != std::string::npos);
    CHECK(problems.find("abc12") == std::string::npos);
    CHECK(check_setup_code("has a space") != std::nullopt);
}

TEST_CASE("what the form accepts as a client id and a secret", "[app_settings]") {
    CHECK_FALSE(check_app_client_id("0123456789abcdef0123456789abcdef"));
    CHECK(check_app_client_id(""));
    CHECK(check_app_client_id("abc def"));
    CHECK(check_app_client_id("<script>"));
    CHECK(check_app_client_id(std::string(129, 'a')));
    CHECK_FALSE(check_app_client_secret("0123456789abcdef0123456789abcdef"));
    CHECK(check_app_client_secret("a b"));
}

TEST_CASE("loopback addresses", "[app_settings]") {
    CHECK(is_loopback_address("127.0.0.1"));
    CHECK(is_loopback_address("127.8.9.10"));
    CHECK(is_loopback_address("::1"));
    CHECK(is_loopback_address("[::1]"));
    CHECK(is_loopback_address("::ffff:127.0.0.1"));
    CHECK_FALSE(is_loopback_address("0.0.0.0"));
    CHECK_FALSE(is_loopback_address("192.0.2.2"));
    CHECK_FALSE(is_loopback_address("::ffff:192.0.2.2"));
    CHECK_FALSE(is_loopback_address("fd00::2"));
    CHECK_FALSE(is_loopback_address(""));
}

TEST_CASE("the page's app is saved 0600, read back, and a broken file counts as none",
          "[app_settings]") {
    AppStoreDir dir;
    FileAppStore store(dir.path.string());
    CHECK_FALSE(store.load());

    REQUIRE(store.save(StoredApp{"id1", std::string("secret1")}));
    struct stat st {};
    REQUIRE(::stat(store.path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_FALSE(std::filesystem::exists(store.path() + ".tmp"));
    auto loaded = store.load();
    REQUIRE(loaded);
    CHECK(loaded->client_id == "id1");
    CHECK(loaded->client_secret == std::optional<std::string>("secret1"));

    REQUIRE(store.save(StoredApp{"id2", std::nullopt}));  // replaced whole: no old secret left
    loaded = store.load();
    REQUIRE(loaded);
    CHECK(loaded->client_id == "id2");
    CHECK_FALSE(loaded->client_secret);
    std::ifstream in(store.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find("secret1") == std::string::npos);

    std::ofstream(store.path()) << "{\"client_id\": 5";
    CHECK_FALSE(store.load());
    CHECK(std::filesystem::exists(store.path()));  // kept for a person to look at
}
