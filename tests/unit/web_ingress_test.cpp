// The page behind Home Assistant's ingress (web.ingress, docs/home-assistant-addon.md): only the
// Supervisor's proxy is answered, every link and form keeps its X-Ingress-Path prefix, and
// linking finishes by pasting.
#include <catch2/catch.hpp>
#include <regex>

#include "ConfigTestSupport.h"
#include "adapters/web/WebApp.h"

using namespace s2m;

namespace {
struct AddonLink : LinkPort {
    std::vector<AccountView> accounts() override {
        AccountView linked;
        linked.name = "alice";
        linked.linked = true;
        AccountView waiting;
        waiting.name = "bob";
        return {linked, waiting};
    }
    Result<std::string> begin_link(const std::optional<std::string>&) override {
        return std::string("https://accounts.example/authorize?x=1");
    }
    Result<std::string> finish_link(const CallbackParams&) override {
        return Error{ErrorKind::Refused, "that address was used already"};
    }
    Status unlink(const std::string&) override { return Unit{}; }
    AppView app() override { return AppView{}; }  // no app yet: the first-run form shows
    Status save_app(const StoredApp&) override { return Unit{}; }
    bool healthy() override { return true; }
};

const std::string kPrefix = "/api/hassio_ingress/8nTq-_x.Z~";

Config ingress_config() {
    Config config;
    config.web.listen = "0.0.0.0:8099";
    config.web.ingress = true;
    config.web.ingress_proxy = "172.30.32.2";
    return config;
}

// As the Supervisor's proxy sends it: the browser's Host (Home Assistant's name) and Origin.
PageRequest via_proxy(std::string method, std::string target, std::string from = "172.30.32.2",
                      std::string prefix = kPrefix) {
    PageRequest req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.remote_address = std::move(from);
    req.headers = {{"Host", "homeassistant.local:8123"},
                   {"Origin", "http://homeassistant.local:8123"},
                   {"X-Ingress-Path", std::move(prefix)},
                   {"Content-Type", "application/x-www-form-urlencoded"}};
    parse_target_and_form(req);
    return req;
}

std::vector<std::string> addresses_in(const std::string& html) {
    std::vector<std::string> found;
    std::regex address(R"re((?:action|href)="([^"]*)")re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), address);
         it != std::sregex_iterator(); ++it) {
        found.push_back((*it)[1]);
    }
    return found;
}
}  // namespace

TEST_CASE("under ingress every link and form of the page keeps the X-Ingress-Path prefix",
          "[web][ingress]") {
    AddonLink link;
    Metrics metrics;
    WebApp app(ingress_config(), link, metrics);
    PageResponse page = app.handle(via_proxy("GET", "/"));
    REQUIRE(page.status == 200);
    std::vector<std::string> addresses = addresses_in(page.body);
    CHECK(addresses.size() >= 5);  // app form, link, unlink, link again, paste
    for (const std::string& address : addresses) {
        INFO(address);
        CHECK((address.starts_with(kPrefix + "/") || address.starts_with("https://")));
    }
    // Spotify opens in a new tab (it refuses frames), and the one sentence says why to paste.
    CHECK(page.body.find("/link\" target=\"_blank\"") != std::string::npos);
    CHECK(page.body.find("id=\"ingress-paste\"") != std::string::npos);
    CHECK(page.body.find("setup_code") == std::string::npos);  // Home Assistant signed them in
    // Home Assistant's own page frames it; nobody else may.
    auto header = [&](const std::string& name) {
        for (const auto& [key, value] : page.headers)
            if (key == name) return value;
        return std::string();
    };
    CHECK(header("X-Frame-Options") == "SAMEORIGIN");
    CHECK(header("Content-Security-Policy").find("frame-ancestors 'self'") != std::string::npos);

    PageResponse failed =
        app.handle(via_proxy("POST", "/link/paste?url=http%3A%2F%2Fx%2Fcallback"));
    CHECK(failed.status == 400);
    CHECK(addresses_in(failed.body) == std::vector<std::string>{kPrefix + "/"});
}

TEST_CASE("under ingress only the proxy's address is answered - loopback only for monitoring",
          "[web][ingress]") {
    AddonLink link;
    Metrics metrics;
    WebApp app(ingress_config(), link, metrics);
    CHECK(app.handle(via_proxy("GET", "/", "172.30.32.3")).status == 403);
    CHECK(app.handle(via_proxy("GET", "/", "127.0.0.1")).status == 403);
    CHECK(app.handle(via_proxy("POST", "/accounts/alice/unlink", "192.0.2.9")).status == 403);
    CHECK(app.handle(via_proxy("GET", "/", "")).status == 403);  // the transport did not say
    CHECK(app.handle(via_proxy("GET", "/", "::ffff:172.30.32.2")).status == 200);
    CHECK(app.handle(via_proxy("GET", "/healthz", "127.0.0.1")).status == 200);
    CHECK(app.handle(via_proxy("GET", "/healthz", "192.0.2.9")).status == 403);
    // A prefix that could break out of the page's attributes or paths is not the Supervisor's.
    for (const char* bad : {"", "/", "api/x", "/api/\"x", "/api//x", "/api/../x", "/a b"}) {
        INFO(bad);
        CHECK(app.handle(via_proxy("GET", "/", "172.30.32.2", bad)).status == 400);
    }
}

TEST_CASE("without ingress X-Ingress-Path is ignored and the page keeps its own addresses",
          "[web][ingress]") {
    AddonLink link;
    Metrics metrics;
    Config config = ingress_config();
    config.web.ingress = false;
    config.web.listen = "127.0.0.1:8888";
    WebApp app(config, link, metrics);
    PageRequest req = via_proxy("GET", "/", "127.0.0.1");
    req.headers[0].second = "127.0.0.1:8888";
    PageResponse page = app.handle(req);
    REQUIRE(page.status == 200);
    for (const std::string& address : addresses_in(page.body)) {
        INFO(address);
        CHECK(address.find("hassio_ingress") == std::string::npos);
    }
    CHECK(page.body.find("ingress-paste") == std::string::npos);
}

TEST_CASE(
    "web.ingress and web.ingress_proxy: a boolean and one IP address, also from the "
    "environment",
    "[web][ingress][config]") {
    LoadedConfig good =
        parse_config(R"({"web": {"ingress": true, "ingress_proxy": "::1"}})", {}, "c.json");
    INFO(test::all_problems(good));
    REQUIRE(good.ok());
    CHECK(good.config.web.ingress);
    CHECK(good.config.web.ingress_proxy == "::1");
    CHECK_FALSE(parse_config("{}", {}, "c.json").config.web.ingress);
    LoadedConfig named = parse_config(R"({"web": {"ingress_proxy": "supervisor"}})", {}, "c.json");
    CHECK(test::all_problems(named).find("web.ingress_proxy") != std::string::npos);
    LoadedConfig env = parse_config(
        "{}",
        {{"SPOTIFY2MQTT__WEB__INGRESS", "true"}, {"SPOTIFY2MQTT__WEB__INGRESS_PROXY", "127.0.0.2"}},
        "c.json");
    INFO(test::all_problems(env));
    REQUIRE(env.ok());
    CHECK(env.config.web.ingress);
    CHECK(env.config.web.ingress_proxy == "127.0.0.2");
}
