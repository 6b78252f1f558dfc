// A bridge with its account page, and the steps a browser takes to link an account there
// (HTTP requests, the redirects followed by hand) against the fake Spotify's /authorize.
#pragma once

#include <httplib.h>

#include <catch2/catch.hpp>
#include <map>
#include <sstream>

#include "BridgeWorld.h"
#include "core/Encoding.h"
#include "support/Wait.h"

namespace s2m::test {

inline std::map<std::string, std::string> query_of(const std::string& url) {
    std::map<std::string, std::string> values;
    auto pairs = s2m::parse_query(url.substr(url.find('?') + 1));
    REQUIRE(pairs);
    for (auto& [k, v] : *pairs) values[k] = v;
    return values;
}

inline std::string path_and_query(const std::string& url) {
    size_t scheme = url.find("://");
    return url.substr(url.find('/', scheme + 3));
}

struct LinkingWorld : BridgeWorld {
    std::unique_ptr<httplib::Client> web;

    // `web_host`: where the page listens (0.0.0.0 as in the Docker image); the redirect URI
    // stays on 127.0.0.1.
    void start(const std::vector<std::string>& users, Json overrides = Json::object(),
               const std::string& web_host = "127.0.0.1") {
        for (const auto& id : users) fake.create_user(short_playlist_user(id, 120000));
        BridgeOptions options = bridge_options(std::move(overrides));
        options.web = true;
        options.web_host = web_host;
        bridge = std::make_unique<BridgeUnderTest>(options);
        fake.register_app("fake-client-id", "fake-client-secret", {bridge->redirect_uri()});
        web = std::make_unique<httplib::Client>(bridge->web_url());
        web->set_read_timeout(30, 0);
    }

    // Presses "Link" (optionally naming the account); the address of Spotify's consent page.
    std::string press_link(const std::string& account = "") {
        httplib::Params form;
        if (!account.empty()) form.emplace("account", account);
        auto res = web->Post("/link", form);
        REQUIRE(res);
        INFO(res->body);
        REQUIRE(res->status == 303);
        return res->get_header_value("Location");
    }

    // Agrees on the consent page as `user`; the address Spotify sends the browser back to.
    std::string agree(const std::string& authorize_url, const std::string& user,
                      std::string redirect_uri = "") {
        auto q = query_of(authorize_url);
        CHECK(q["response_type"] == "code");
        CHECK(q["code_challenge_method"] == "S256");
        CHECK(q["redirect_uri"] == (redirect_uri.empty() ? bridge->redirect_uri() : redirect_uri));
        Json answer = fake.agree_as(user, q);
        return answer["location"];
    }

    // /healthz answers 200 (the broker connection is up) within 10 s.
    bool wait_healthy() {
        return eventually([&] {
            auto res = web->Get("/healthz");
            return res && res->status == 200;
        });
    }

    httplib::Result land(const std::string& location) { return web->Get(path_and_query(location)); }

    std::string link(const std::string& account, const std::string& user) {
        std::string location = agree(press_link(account), user);
        auto res = land(location);
        REQUIRE(res);
        INFO(res->body << "\n" << bridge_log());
        REQUIRE(res->status == 200);
        CHECK(res->body.find("You can close this window.") != std::string::npos);
        return location;
    }

    std::string page() {
        auto res = web->Get("/");
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return res->body;
    }
};

// How many lines of `log` hold both `a` and `b`.
inline size_t count_lines_with(const std::string& log, const std::string& a, const std::string& b) {
    size_t count = 0;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
        if (line.find(a) != std::string::npos && line.find(b) != std::string::npos) ++count;
    }
    return count;
}

inline bool is_playing(const Json& s) {
    return s["state"] == "playing";
}

}  // namespace s2m::test
