// Setting up the Spotify app on the account page (README "Linking"): the first-run form, the
// config's precedence, and the setup code for clients on other machines, driven over HTTP the way
// a browser does (redirects followed by hand) against the fake Spotify, which checks client ids
// and secrets.
#include <httplib.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <regex>

#include "BridgeWorld.h"
#include "core/Encoding.h"

using namespace s2m::test;

namespace {

const Json kAppSetupNoClientId = {
    {"spotify", {{"client_id", nullptr}, {"client_secret", nullptr}}}};

std::string app_setup_query(const std::string& url, const std::string& key) {
    auto pairs = s2m::parse_query(url.substr(url.find('?') + 1));
    REQUIRE(pairs);
    for (auto& [k, v] : *pairs) {
        if (k == key) return v;
    }
    return "";
}

// An IPv4 address of this machine other than loopback; empty when it has none.
std::string app_setup_lan_address() {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return "";
    std::string found;
    for (ifaddrs* entry = list; entry && found.empty(); entry = entry->ifa_next) {
        if (!entry->ifa_addr || entry->ifa_addr->sa_family != AF_INET) continue;
        char text[INET_ADDRSTRLEN] = {};
        auto* address = reinterpret_cast<sockaddr_in*>(entry->ifa_addr);
        inet_ntop(AF_INET, &address->sin_addr, text, sizeof text);
        if (std::string(text).rfind("127.", 0) != 0) found = text;
    }
    freeifaddrs(list);
    return found;
}

struct AppSetupWorld : BridgeWorld {
    std::unique_ptr<httplib::Client> web;

    void start(Json overrides, const std::string& host = "127.0.0.1") {
        fake.create_user(short_playlist_user("anna-id", 120000));
        BridgeOptions options = bridge_options(std::move(overrides));
        options.web = true;
        options.web_host = host == "127.0.0.1" ? host : "0.0.0.0";
        bridge = std::make_unique<BridgeUnderTest>(options);
        connect(host);
    }

    void connect(const std::string& host) {
        web = std::make_unique<httplib::Client>(host, bridge->web_port());
        web->set_read_timeout(30, 0);
    }

    std::string page() {
        auto res = web->Get("/");
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return res->body;
    }

    httplib::Result post(const std::string& path, const httplib::Params& form) {
        auto res = web->Post(path, form);
        INFO("POST " << path << ": " << httplib::to_string(res.error()) << "\n" << bridge_log());
        REQUIRE(res);
        return res;
    }

    // Presses "Link" as `account`, agrees as anna-id and lands on the callback.
    httplib::Result link_anna(const httplib::Params& extra = {}) {
        httplib::Params form = extra;
        form.emplace("account", "anna");
        auto pressed = post("/link", form);
        REQUIRE(pressed);
        INFO(pressed->body << "\n" << bridge_log());
        REQUIRE(pressed->status == 303);
        std::string authorize = pressed->get_header_value("Location");
        Json answer =
            fake.authorize({{"user", "anna-id"},
                            {"client_id", app_setup_query(authorize, "client_id")},
                            {"redirect_uri", app_setup_query(authorize, "redirect_uri")},
                            {"state", app_setup_query(authorize, "state")},
                            {"scope", app_setup_query(authorize, "scope")},
                            {"code_challenge", app_setup_query(authorize, "code_challenge")}});
        std::string location = answer["location"];
        size_t path = location.find('/', location.find("://") + 3);
        last_client_id = app_setup_query(authorize, "client_id");
        return web->Get(location.substr(path));
    }

    bool anna_online(std::chrono::milliseconds timeout = 20s) {
        return probe
            .wait_for_json(
                "spotify2mqtt/anna/availability",
                [](const Json& a) { return a["state"] == "online"; }, timeout)
            .has_value();
    }

    std::string last_client_id;
};

}  // namespace

TEST_CASE(
    "first run without a client id: the form saves the app (0600), linking uses it, and "
    "it survives a restart",
    "[app_setup]") {
    AppSetupWorld world;
    world.start(kAppSetupNoClientId);
    world.fake.register_app("page-app-id", "page-app-secret", {world.bridge->redirect_uri()});

    std::string first = world.page();
    CHECK(first.find("Set up your Spotify app") != std::string::npos);
    CHECK(first.find("action=\"/app\"") != std::string::npos);
    CHECK(first.find("name=\"setup_code\"") == std::string::npos);  // loopback: no code
    auto refused = world.post("/link", {{"account", "anna"}});
    REQUIRE(refused);
    CHECK(refused->status == 400);
    CHECK(refused->body.find("no Spotify app is set up yet") != std::string::npos);

    auto bad = world.post("/app", {{"client_id", "not an id"}});
    REQUIRE(bad);
    CHECK(bad->status == 400);
    CHECK(bad->body.find("not a Client ID") != std::string::npos);

    auto saved =
        world.post("/app", {{"client_id", "page-app-id"}, {"client_secret", "page-app-secret"}});
    REQUIRE(saved);
    INFO(saved->body << "\n" << world.bridge_log());
    REQUIRE(saved->status == 200);
    CHECK(saved->body.find("The Spotify app is saved") != std::string::npos);
    CHECK(saved->body.find("entered on this page") != std::string::npos);
    CHECK(saved->body.find("page-app-secret") == std::string::npos);  // never shown back

    auto file = world.bridge->state_dir() / "spotify_app.json";
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    // No restart: the next link goes through the new app, secret and all (the fake checks both).
    auto landed = world.link_anna();
    REQUIRE(landed);
    INFO(landed->body);
    CHECK(landed->status == 200);
    CHECK(world.last_client_id == "page-app-id");
    REQUIRE(world.anna_online());
    auto info = world.probe.wait_for_json("spotify2mqtt/bridge/info", [](const Json& i) {
        return i["spotify_app_configured"] == true;
    });
    CHECK(info);

    // After a restart the app and the account are still there, and tokens renew with the app.
    REQUIRE(world.bridge->process().terminate_and_wait() == 0);
    world.fake.expire_access_tokens("anna-id");
    world.probe.clear();
    world.bridge->start();
    REQUIRE(world.anna_online());
    CHECK(world.page().find("entered on this page") != std::string::npos);

    // The secret is in the 0600 file only: not in the log, not on MQTT.
    CHECK(world.bridge_log().find("page-app-secret") == std::string::npos);
    for (const auto& message : world.probe.messages()) {
        CHECK(message.payload.find("page-app-secret") == std::string::npos);
    }
}

TEST_CASE("changing the app on the page marks accounts linked with the old one 'link again'",
          "[app_setup]") {
    AppSetupWorld world;
    world.start(kAppSetupNoClientId);
    world.fake.register_app("first-app", std::nullopt, {world.bridge->redirect_uri()});
    world.fake.register_app("second-app", std::nullopt, {world.bridge->redirect_uri()});
    REQUIRE(world.post("/app", {{"client_id", "first-app"}})->status == 200);
    auto first_link = world.link_anna();
    REQUIRE(first_link);
    REQUIRE(first_link->status == 200);
    REQUIRE(world.anna_online());

    REQUIRE(world.post("/app", {{"client_id", "second-app"}})->status == 200);
    auto offline = world.probe.wait_for_json(
        "spotify2mqtt/anna/availability",
        [](const Json& a) { return a["reason"] == "reauth_required"; }, 10s);
    REQUIRE(offline);
    CHECK(offline->json()["message"].get<std::string>().find("another Spotify app") !=
          std::string::npos);
    CHECK(world.page().find("Link again") != std::string::npos);

    world.probe.clear();
    auto second_link = world.link_anna();
    REQUIRE(second_link);
    REQUIRE(second_link->status == 200);
    CHECK(world.last_client_id == "second-app");
    CHECK(world.anna_online());
}

TEST_CASE("a client id in the config or the environment wins and is read only on the page",
          "[app_setup]") {
    SECTION("config") {
        AppSetupWorld world;
        world.start(Json::object());  // the harness's config names fake-client-id
        std::string html = world.page();
        CHECK(html.find("fake-client-id") != std::string::npos);
        CHECK(html.find(world.bridge->config_path().string()) != std::string::npos);
        CHECK(html.find("read only") != std::string::npos);
        CHECK(html.find("action=\"/app\"") == std::string::npos);
        auto refused = world.post("/app", {{"client_id", "other-app"}});
        REQUIRE(refused);
        CHECK(refused->status == 400);
        CHECK(refused->body.find("spotify.client_id in the config sets the Spotify app") !=
              std::string::npos);
        CHECK_FALSE(std::filesystem::exists(world.bridge->state_dir() / "spotify_app.json"));
    }
    SECTION("environment") {
        AppSetupWorld world;
        world.fake.create_user(short_playlist_user("anna-id", 120000));
        BridgeOptions options = world.bridge_options(kAppSetupNoClientId);
        options.web = true;
        options.env = {{"SPOTIFY2MQTT__SPOTIFY__CLIENT_ID", "env-app-id"}};
        world.bridge = std::make_unique<BridgeUnderTest>(options);
        world.connect("127.0.0.1");
        std::string html = world.page();
        CHECK(html.find("env-app-id") != std::string::npos);
        CHECK(html.find("SPOTIFY2MQTT__SPOTIFY__CLIENT_ID") != std::string::npos);
        CHECK(html.find("action=\"/app\"") == std::string::npos);
    }
}

TEST_CASE("from another machine, link and app changes need the setup code from the log",
          "[app_setup]") {
    std::string address = app_setup_lan_address();
    if (address.empty()) {
        WARN("this machine has no non-loopback IPv4 address; skipped");
        return;
    }
    AppSetupWorld world;
    world.start(kAppSetupNoClientId, address);
    world.fake.register_app("lan-app", std::nullopt, {world.bridge->redirect_uri()});

    std::smatch found;
    std::string log = world.bridge_log();
    REQUIRE(std::regex_search(log, found, std::regex("need the setup code ([a-z2-9]{12})")));
    std::string code = found[1];

    CHECK(world.page().find("name=\"setup_code\"") != std::string::npos);
    auto without = world.post("/app", {{"client_id", "lan-app"}});
    REQUIRE(without);
    CHECK(without->status == 403);
    CHECK(without->body.find("Setup code needed") != std::string::npos);
    auto wrong = world.post("/app", {{"client_id", "lan-app"}, {"setup_code", "guessing-1"}});
    REQUIRE(wrong);
    CHECK(wrong->status == 403);
    // Right away even the right code waits: guessing cannot go faster than the slowdown.
    auto held = world.post("/app", {{"client_id", "lan-app"}, {"setup_code", code}});
    REQUIRE(held);
    CHECK(held->status == 429);
    CHECK_FALSE(std::filesystem::exists(world.bridge->state_dir() / "spotify_app.json"));
    CHECK(world.bridge_log().find("a wrong setup code from") != std::string::npos);

    std::this_thread::sleep_for(1500ms);  // the first wait is 1 s
    auto saved = world.post("/app", {{"client_id", "lan-app"}, {"setup_code", code}});
    REQUIRE(saved);
    CHECK(saved->status == 200);
    auto landed = world.link_anna({{"setup_code", code}});
    REQUIRE(landed);
    CHECK(landed->status == 200);
    CHECK(world.anna_online());
}

TEST_CASE("a seeded account waits for an app, says so, and polls once one is entered on the page",
          "[app_setup]") {
    AppSetupWorld world;
    Json overrides = kAppSetupNoClientId;
    overrides["accounts"] = Json::array({{{"name", "anna"}, {"refresh_token", "rt-anna-id"}}});
    world.start(overrides);
    auto waiting = world.probe.wait_for_json(
        "spotify2mqtt/anna/availability",
        [](const Json& a) { return a["reason"] == "no_spotify_app"; }, 10s);
    REQUIRE(waiting);
    std::string message = waiting->json()["message"];
    CHECK(message.find("no Spotify app is set up yet") != std::string::npos);
    CHECK(message.find(world.bridge->web_url()) != std::string::npos);  // where to set it
    CHECK(world.bridge_log().find("no Spotify app is set up yet") != std::string::npos);

    world.fake.register_app("late-app", std::nullopt, {world.bridge->redirect_uri()});
    int64_t before = world.fake.last_seq();
    REQUIRE(world.post("/app", {{"client_id", "late-app"}})->status == 200);
    INFO(world.bridge_log());
    REQUIRE(world.anna_online());
    bool renewed_with_late_app = false;
    for (const Json& request : world.fake.requests(before)) {
        if (request["path"] == "/api/token" && request["client_id"] == "late-app")
            renewed_with_late_app = true;
    }
    CHECK(renewed_with_late_app);
}
