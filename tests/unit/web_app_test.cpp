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
    AppView app() override { return shown; }
    Status save_app(const StoredApp& app) override {
        saved.push_back(app);
        return Unit{};
    }
    bool healthy() override { return true; }
    AppView shown;
    std::vector<StoredApp> saved;
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

TEST_CASE("routes match paths literally - {name} takes one account name", "[web]") {
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

TEST_CASE("WebApp refuses foreign hosts and cross-site posts - monitoring answers any host",
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

namespace {
PageRequest from(std::string address, std::string method, std::string target,
                 std::string body = "") {
    PageRequest req = request(std::move(method), std::move(target), "192.0.2.2:8888");
    req.remote_address = std::move(address);
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    req.body = std::move(body);
    parse_target_and_form(req);
    return req;
}

Config listening_on(const std::string& listen, std::optional<std::string> code) {
    Config config = config_with_redirect("http://127.0.0.1:8888/callback");
    config.web.listen = listen;
    config.web.setup_code = std::move(code);
    return config;
}
}  // namespace

TEST_CASE("from other machines link, unlink and the app need the setup code - loopback does not",
          "[web][setup_code]") {
    RecordingLink link;
    Metrics metrics;
    WebApp app(listening_on("0.0.0.0:8888", "sesame-open"), link, metrics);

    CHECK(app.handle(from("192.0.2.7", "POST", "/link")).status == 403);
    CHECK(app.handle(from("192.0.2.7", "POST", "/accounts/bob/unlink")).status == 403);
    CHECK(app.handle(from("192.0.2.7", "POST", "/app", "client_id=abc")).status == 403);
    CHECK(link.unlinked.empty());
    CHECK(link.saved.empty());
    // The page asks for it in every form that changes something.
    PageResponse page = app.handle(from("192.0.2.7", "GET", "/"));
    CHECK(page.body.find("name=\"setup_code\"") != std::string::npos);

    CHECK(app.handle(from("192.0.2.7", "POST", "/link", "setup_code=sesame-open")).status == 303);
    CHECK(app.handle(from("192.0.2.7", "POST", "/app", "client_id=abc&setup_code=sesame-open"))
              .status == 200);
    REQUIRE(link.saved.size() == 1);
    CHECK(link.saved[0].client_id == "abc");

    // This machine's own clients need none, over IPv4 and IPv6.
    CHECK(app.handle(from("127.0.0.1", "POST", "/accounts/bob/unlink")).status == 200);
    CHECK(app.handle(from("::1", "POST", "/link")).status == 303);
    CHECK(app.handle(from("127.0.0.1", "GET", "/")).body.find("name=\"setup_code\"") ==
          std::string::npos);
    // The callback is guarded by its one-time state, not by the code (Spotify sends it).
    CHECK(app.handle(from("192.0.2.7", "GET", "/callback?code=c&state=s")).status == 200);
}

TEST_CASE("a wrong setup code slows every next try down", "[web][setup_code]") {
    RecordingLink link;
    Metrics metrics;
    WebApp app(listening_on("0.0.0.0:8888", "sesame-open"), link, metrics);
    CHECK(app.handle(from("192.0.2.7", "POST", "/link", "setup_code=guess")).status == 403);
    // At once again, even with the right code: held back (no test waits for the second).
    PageResponse held = app.handle(from("192.0.2.7", "POST", "/link", "setup_code=sesame-open"));
    CHECK(held.status == 429);
    bool has_retry_after = false;
    for (const auto& [name, value] : held.headers) has_retry_after |= name == "Retry-After";
    CHECK(has_retry_after);
    // Loopback clients are not held back by others' guesses.
    CHECK(app.handle(from("127.0.0.1", "POST", "/link")).status == 303);
}

TEST_CASE("when the transport does not say who connected, only a loopback listener skips the code",
          "[web][setup_code]") {
    RecordingLink link;
    Metrics metrics;
    WebApp loopback(listening_on("127.0.0.1:8888", std::nullopt), link, metrics);
    CHECK(loopback.handle(from("", "POST", "/link")).status == 303);
    WebApp everywhere(listening_on("0.0.0.0:8888", std::nullopt), link, metrics);
    CHECK(everywhere.handle(from("", "POST", "/link")).status == 403);
}
