// The page's routing and request checks without a server (adapters/web/WebApp, HttpExchange).
#include <catch2/catch.hpp>

#include "adapters/web/ConnectionWatch.h"
#include "adapters/web/WebApp.h"

using namespace s2m;

namespace {
struct RecordingLink : LinkPort {
    std::vector<std::string> unlinked;
    std::vector<CallbackParams> finished;
    std::vector<AccountView> accounts() override { return {}; }
    Result<std::string> begin_link(const std::optional<std::string>&) override {
        return std::string("https://accounts.example/authorize?x=1");
    }
    Result<std::string> finish_link(const CallbackParams& params) override {
        finished.push_back(params);
        return std::string("alice");
    }
    Status unlink(const std::string& name) override {
        unlinked.push_back(name);
        return Unit{};
    }
    bool healthy() override { return true; }
};

PageRequest request(std::string method, std::string target, std::string host = "127.0.0.1:8888") {
    PageRequest req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.headers = {{"host", std::move(host)}};
    parse_target_and_form(req);
    return req;
}

Config config_with_redirect(const std::string& redirect_uri) {
    Config config;
    config.spotify.client_id = "id";
    config.spotify.redirect_uri = redirect_uri;
    return config;
}
}  // namespace

TEST_CASE("request parsing: decoded path, query and form parameters, headers by any case",
          "[web]") {
    PageRequest req = request("POST", "/a%20b+c?x=1&y=%41");
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    req.body = "account=bob+smith&x=2";
    parse_target_and_form(req);
    CHECK(req.path == "/a b+c");
    CHECK(req.param("x") == "1");  // the query's first
    CHECK(req.param("y") == "A");
    CHECK(req.param("account") == "bob smith");
    CHECK(req.header("HOST") == "127.0.0.1:8888");
    CHECK(req.header("Origin").empty());
}

TEST_CASE("routes match paths literally; {name} takes one account name", "[web]") {
    RouteTable routes;
    int hit = 0;
    routes.add("GET", "/call.back", [&](const PageRequest&, PageResponse&) { hit = 1; });
    routes.add("POST", "/accounts/{name}/unlink",
               [&](const PageRequest&, PageResponse&) { hit = 2; });
    PageRequest exact = request("GET", "/call.back?code=1");
    REQUIRE(routes.find(exact));
    PageRequest head = request("HEAD", "/call.back");
    CHECK(routes.find(head));
    PageRequest other = request("GET", "/callXback");
    CHECK_FALSE(routes.find(other));
    PageRequest post = request("POST", "/call.back");
    CHECK_FALSE(routes.find(post));
    PageRequest unlink = request("POST", "/accounts/bob_2/unlink");
    REQUIRE(routes.find(unlink));
    CHECK(unlink.captures == std::vector<std::string>{"bob_2"});
    PageRequest bad_name = request("POST", "/accounts/Bob/unlink");
    CHECK_FALSE(routes.find(bad_name));
    PageRequest too_long = request("POST", "/accounts/" + std::string(33, 'a') + "/unlink");
    CHECK_FALSE(routes.find(too_long));
}

TEST_CASE("a callback path with regex characters is served literally", "[web]") {
    RecordingLink link;
    Metrics metrics;
    WebApp app(config_with_redirect("http://127.0.0.1:18885/cb("), link, metrics);
    CHECK(app.callback_path() == "/cb(");
    PageResponse res = app.handle(request("GET", "/cb(?code=c&state=s"));
    CHECK(res.status == 200);
    REQUIRE(link.finished.size() == 1);
    CHECK(link.finished[0].code == "c");
    CHECK(app.handle(request("GET", "/cb")).status == 404);
}

TEST_CASE("WebApp refuses foreign hosts and cross-site posts; monitoring answers any host",
          "[web]") {
    RecordingLink link;
    Metrics metrics;
    WebApp app(config_with_redirect("http://127.0.0.1:8888/callback"), link, metrics);
    CHECK(app.handle(request("GET", "/", "evil.example")).status == 421);
    CHECK(app.handle(request("GET", "/healthz", "spotify2mqtt:8888")).status == 200);
    CHECK(app.handle(request("GET", "/metrics", "spotify2mqtt:8888")).status == 200);
    PageRequest cross = request("POST", "/accounts/bob/unlink");
    cross.headers.emplace_back("Origin", "http://evil.example");
    CHECK(app.handle(cross).status == 403);
    CHECK(link.unlinked.empty());
    PageRequest own = request("POST", "/accounts/bob/unlink");
    own.headers.emplace_back("Origin", "http://127.0.0.1:8888");
    PageResponse page = app.handle(own);
    CHECK(page.status == 200);
    CHECK(link.unlinked == std::vector<std::string>{"bob"});
    CHECK(page.content_type == "text/html; charset=utf-8");
    bool framing_denied = false;
    for (const auto& [name, value] : page.headers) framing_denied |= name == "X-Frame-Options";
    CHECK(framing_denied);
    CHECK(app.handle(request("GET", "/nothing-here")).status == 404);
}

TEST_CASE("page connections stay well below the open-file limit", "[web]") {
    CHECK(PageLimits::for_open_files(200).total == 50);
    CHECK(PageLimits::for_open_files(1024).total == 64);
    CHECK(PageLimits::for_open_files(RLIM_INFINITY).total == 64);
    CHECK(PageLimits::for_open_files(20).total == 16);  // never below the reserve plus a few
}
