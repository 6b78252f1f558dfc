// Tests of fake_spotify's authorization code flow (GET /authorize, the consent form, PKCE at
// POST /api/token): the bridge's linking tests rely on the fake refusing what Spotify refuses,
// so a bug that Spotify would catch cannot pass here.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <string>

#include "support/FakeSpotifyClient.h"
#include "support/Paths.h"

using namespace s2m::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using nlohmann::json;

namespace {

// RFC 7636 Appendix B.
const std::string kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const std::string kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
// Registered for fake-client-id by default.
const std::string kRedirect = "http://127.0.0.1:8888/callback";
const std::string kClient = "fake-client-id";
const std::string kSecret = "fake-client-secret";

httplib::Client http(const FakeSpotifyProcess& fake) {
    httplib::Client client(fake.base_url());
    client.set_read_timeout(10, 0);
    return client;  // does not follow redirects: the tests look at them
}

// The parameters the bridge sends; tests change or drop some.
httplib::Params authorize_params(const std::string& state = "st-1") {
    httplib::Params params{{"client_id", kClient},
                           {"response_type", "code"},
                           {"redirect_uri", kRedirect},
                           {"scope", "user-read-private user-modify-playback-state"},
                           {"code_challenge_method", "S256"},
                           {"code_challenge", kChallenge}};
    if (!state.empty()) params.emplace("state", state);
    return params;
}

void set_param(httplib::Params& params, const std::string& key, const std::string& value) {
    params.erase(key);
    params.emplace(key, value);
}

httplib::Result get_authorize(const FakeSpotifyProcess& fake, const httplib::Params& params) {
    return http(fake).Get("/authorize", params, httplib::Headers{});
}

std::string percent_decode(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i] == '+' ? ' ' : text[i];
        }
    }
    return out;
}

// The decoded value of `key` in a Location's query, or "" when absent.
std::string query_value(const std::string& location, const std::string& key) {
    auto query = location.substr(location.find('?') + 1);
    size_t start = 0;
    while (start <= query.size()) {
        auto end = query.find('&', start);
        if (end == std::string::npos) end = query.size();
        auto pair = query.substr(start, end - start);
        auto eq = pair.find('=');
        if (eq != std::string::npos && pair.substr(0, eq) == key) {
            return percent_decode(pair.substr(eq + 1));
        }
        start = end + 1;
    }
    return "";
}

struct TokenAnswer {
    int status = 0;
    json body;
};

// POST /api/token with grant_type=authorization_code; Basic auth when a secret is given, else
// client_id in the body (a PKCE-only client).
TokenAnswer exchange(const FakeSpotifyProcess& fake, const std::string& code,
                     const std::optional<std::string>& verifier,
                     const std::string& redirect_uri = kRedirect,
                     const std::string& client_id = kClient,
                     const std::optional<std::string>& secret = kSecret) {
    auto client = http(fake);
    httplib::Params form{
        {"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", redirect_uri}};
    if (verifier) form.emplace("code_verifier", *verifier);
    if (secret) {
        client.set_basic_auth(client_id, *secret);
    } else {
        form.emplace("client_id", client_id);
    }
    auto result = client.Post("/api/token", form);
    REQUIRE(result);
    return {result->status, json::parse(result->body, nullptr, false)};
}

std::string pkce_code(const FakeSpotifyClient& spotify, const std::string& user = "alice") {
    return spotify
        .authorize({{"user", user},
                    {"client_id", kClient},
                    {"redirect_uri", kRedirect},
                    {"state", "st"},
                    {"scope", "user-read-private"},
                    {"code_challenge", kChallenge}})
        .at("code")
        .get<std::string>();
}

}  // namespace

TEST_CASE("fake /authorize shows a consent page listing the users", "[fake]") {
    FakeSpotifyProcess fake;
    FakeSpotifyClient spotify(fake.base_url());
    spotify.create_user({{"id", "alice"}, {"display_name", "Alice <3"}});

    SECTION("the only user is preselected") {
        auto page = get_authorize(fake, authorize_params());
        REQUIRE(page);
        CHECK(page->status == 200);
        CHECK_THAT(page->get_header_value("Content-Type"), StartsWith("text/html"));
        CHECK_THAT(page->body, Contains("<option value=\"alice\" selected>Alice &lt;3 (alice)"));
        CHECK_THAT(page->body, !Contains("Choose a user"));
    }
    SECTION("several users: none preselected unless the user parameter names one") {
        spotify.create_user({{"id", "bob"}, {"display_name", "Bob"}});
        auto params = authorize_params("a\"<b&c");
        auto page = get_authorize(fake, params);
        REQUIRE(page);
        REQUIRE(page->status == 200);
        const std::string& html = page->body;
        CHECK_THAT(html, Contains("<select id=\"user\" name=\"user\" required>"));
        CHECK_THAT(html, Contains("<option value=\"alice\">Alice &lt;3 (alice)</option>"));
        CHECK_THAT(html, Contains("<option value=\"bob\">Bob (bob)</option>"));
        CHECK_THAT(html, Contains("<option value=\"\" disabled selected>Choose a user</option>"));
        CHECK_THAT(html, Contains("<li data-scope=\"user-read-private\">"));
        CHECK_THAT(html, Contains("<li data-scope=\"user-modify-playback-state\">"));
        CHECK_THAT(html, Contains("<form id=\"consent\" method=\"post\" "
                                  "action=\"/authorize/decision\">"));
        CHECK_THAT(html, Contains("<button id=\"agree\" type=\"submit\""));
        CHECK_THAT(html, Contains("<button id=\"cancel\" type=\"submit\""));
        // The request travels in hidden fields, escaped.
        CHECK_THAT(html, Contains("name=\"state\" value=\"a&quot;&lt;b&amp;c\""));
        CHECK_THAT(html, !Contains("a\"<b"));
        CHECK_THAT(html, Contains("name=\"code_challenge\" value=\"" + kChallenge + "\""));
        CHECK_THAT(html, Contains("name=\"redirect_uri\" value=\"" + kRedirect + "\""));

        set_param(params, "user", "bob");
        auto hinted = get_authorize(fake, params);
        REQUIRE(hinted);
        CHECK_THAT(hinted->body, Contains("<option value=\"bob\" selected>Bob (bob)</option>"));
        CHECK_THAT(hinted->body, !Contains("Choose a user"));
    }
}

TEST_CASE("fake /authorize/decision sends the user back with a code or access_denied", "[fake]") {
    FakeSpotifyProcess fake;
    FakeSpotifyClient spotify(fake.base_url());
    spotify.create_user({{"id", "alice"}});
    auto decide = [&](httplib::Params form) {
        auto result = http(fake).Post("/authorize/decision", form);
        REQUIRE(result);
        return *result;
    };

    SECTION("Agree: 303 to the redirect URI with code and state") {
        auto form = authorize_params("xyz");
        form.emplace("user", "alice");
        form.emplace("decision", "agree");
        auto answer = decide(form);
        CHECK(answer.status == 303);
        std::string location = answer.get_header_value("Location");
        CHECK_THAT(location, StartsWith(kRedirect + "?code="));
        CHECK_THAT(location, Contains("&state=xyz"));
        CHECK(query_value(location, "code").size() >= 43);
        CHECK(exchange(fake, query_value(location, "code"), kVerifier).status == 200);
    }
    SECTION("state is percent-encoded in the redirect") {
        // httplib's client decodes Location headers, so the encoding is checked on the control
        // shortcut's answer, which is built by the same code.
        json answer = spotify.authorize({{"user", "alice"},
                                         {"client_id", kClient},
                                         {"redirect_uri", kRedirect},
                                         {"state", "xyz 1/2&3"},
                                         {"code_challenge", kChallenge}});
        CHECK(answer.at("location") == kRedirect + "?code=" + answer.at("code").get<std::string>() +
                                           "&state=xyz%201%2F2%263");
    }
    SECTION("Agree without state: no state in the redirect") {
        auto form = authorize_params("");
        form.emplace("user", "alice");
        form.emplace("decision", "agree");
        std::string location = decide(form).get_header_value("Location");
        CHECK_THAT(location, StartsWith(kRedirect + "?code="));
        CHECK_THAT(location, !Contains("state="));
    }
    SECTION("Cancel: 303 with error=access_denied and the state") {
        auto form = authorize_params("xyz");
        form.emplace("decision", "cancel");
        auto answer = decide(form);
        CHECK(answer.status == 303);
        CHECK(answer.get_header_value("Location") == kRedirect + "?error=access_denied&state=xyz");
    }
    SECTION("the form is checked again: a tampered redirect URI gets the error page") {
        auto form = authorize_params();
        set_param(form, "redirect_uri", "http://127.0.0.1:9999/steal");
        form.emplace("user", "alice");
        form.emplace("decision", "agree");
        auto answer = decide(form);
        CHECK(answer.status == 400);
        CHECK_FALSE(answer.has_header("Location"));
        CHECK_THAT(answer.body, Contains("INVALID_CLIENT: Invalid redirect URI"));
    }
}

TEST_CASE("fake /authorize refuses what Spotify refuses", "[fake]") {
    FakeSpotifyProcess fake;
    FakeSpotifyClient spotify(fake.base_url());
    spotify.create_user({{"id", "alice"}});
    auto params = authorize_params("s1");

    SECTION("an unregistered redirect URI: error page, no redirect") {
        for (const std::string uri : {"http://127.0.0.1:8888/callback/", "https://evil.example/cb",
                                      "http://127.0.0.1:8889/callback"}) {
            set_param(params, "redirect_uri", uri);
            auto page = get_authorize(fake, params);
            REQUIRE(page);
            CHECK(page->status == 400);
            CHECK_FALSE(page->has_header("Location"));
            CHECK_THAT(page->body, Contains("INVALID_CLIENT: Invalid redirect URI"));
        }
        CHECK_THROWS_WITH(spotify.authorize({{"user", "alice"},
                                             {"client_id", kClient},
                                             {"redirect_uri", "https://evil.example/cb"},
                                             {"code_challenge", kChallenge}}),
                          Contains("INVALID_CLIENT: Invalid redirect URI"));
    }
    SECTION("an unknown client: error page") {
        set_param(params, "client_id", "no-such-app");
        auto page = get_authorize(fake, params);
        REQUIRE(page);
        CHECK(page->status == 400);
        CHECK_FALSE(page->has_header("Location"));
        CHECK_THAT(page->body, Contains("INVALID_CLIENT: Invalid client"));
    }
    SECTION("an unknown scope: error page") {
        set_param(params, "scope", "user-read-private user-read-birthdate");
        auto page = get_authorize(fake, params);
        REQUIRE(page);
        CHECK(page->status == 400);
        CHECK_THAT(page->body, Contains("Illegal scope"));
    }
    SECTION("response_type other than code: back to the app") {
        set_param(params, "response_type", "token");
        auto answer = get_authorize(fake, params);
        REQUIRE(answer);
        CHECK(answer->status == 302);
        std::string location = answer->get_header_value("Location");
        CHECK_THAT(location, StartsWith(kRedirect + "?error=unsupported_response_type"));
        CHECK(query_value(location, "state") == "s1");
    }
    SECTION("a challenge method other than S256: back to the app") {
        set_param(params, "code_challenge_method", "plain");
        auto answer = get_authorize(fake, params);
        REQUIRE(answer);
        CHECK(answer->status == 302);
        CHECK(query_value(answer->get_header_value("Location"), "error") == "invalid_request");
    }
}

TEST_CASE("fake code exchange checks the PKCE verifier, redirect URI and single use", "[fake]") {
    FakeSpotifyProcess fake;
    FakeSpotifyClient spotify(fake.base_url());
    spotify.create_user({{"id", "alice"}});
    const std::string code = pkce_code(spotify);

    SECTION("the right verifier gets tokens, once") {
        auto answer = exchange(fake, code, kVerifier);
        REQUIRE(answer.status == 200);
        CHECK(answer.body.at("token_type") == "Bearer");
        CHECK(answer.body.at("expires_in") == 3600);
        CHECK(answer.body.at("scope") == "user-read-private");
        REQUIRE(answer.body.at("refresh_token").is_string());
        auto me = http(fake).Get(
            "/v1/me",
            {{"Authorization", "Bearer " + answer.body.at("access_token").get<std::string>()}});
        REQUIRE(me);
        CHECK(me->status == 200);
        CHECK(json::parse(me->body).at("id") == "alice");

        auto replay = exchange(fake, code, kVerifier);
        CHECK(replay.status == 400);
        CHECK(replay.body == json{{"error", "invalid_grant"},
                                  {"error_description", "Invalid authorization code"}});
    }
    SECTION("a wrong verifier fails, and uses the code up") {
        auto answer = exchange(fake, code, "wrong-" + kVerifier.substr(6));
        CHECK(answer.status == 400);
        CHECK(answer.body == json{{"error", "invalid_grant"},
                                  {"error_description", "code_verifier was incorrect"}});
        CHECK(exchange(fake, code, kVerifier).body.at("error_description") ==
              "Invalid authorization code");
    }
    SECTION("a missing verifier fails") {
        auto answer = exchange(fake, code, std::nullopt);
        CHECK(answer.status == 400);
        CHECK(answer.body.at("error_description") == "code_verifier required");
    }
    SECTION("another redirect URI fails") {
        auto answer = exchange(fake, code, kVerifier, "http://127.0.0.1:8888/other");
        CHECK(answer.status == 400);
        CHECK(answer.body ==
              json{{"error", "invalid_grant"}, {"error_description", "Invalid redirect URI"}});
    }
    SECTION("a wrong secret fails") {
        auto answer = exchange(fake, code, kVerifier, kRedirect, kClient, "not-the-secret");
        CHECK(answer.status == 400);
        CHECK(answer.body.at("error") == "invalid_client");
    }
    SECTION("the app may leave out its secret when it proves PKCE, as on Spotify") {
        CHECK(exchange(fake, code, kVerifier, kRedirect, kClient, std::nullopt).status == 200);
    }
    SECTION("a code expires after ten minutes of the fake's clock") {
        spotify.advance_clock(10 * 60 * 1000 + 1);
        CHECK(exchange(fake, code, kVerifier).body.at("error_description") ==
              "Invalid authorization code");
    }
    SECTION("the request log keeps neither the code nor the verifier") {
        exchange(fake, code, kVerifier);
        auto logged = spotify.requests_to("POST", "/api/token");
        REQUIRE(logged.size() == 1);
        std::string body = logged[0].at("body");
        CHECK_THAT(body, Contains("code=REDACTED") && Contains("code_verifier=REDACTED"));
        CHECK_THAT(body, !Contains(code) && !Contains(kVerifier));
        CHECK(logged[0].at("user") == "alice");
        CHECK(logged[0].at("client_id") == kClient);
    }
}

TEST_CASE("fake public clients must use PKCE", "[fake]") {
    // Also covers --redirect-uri, and a loopback URI without a port matching any port.
    FakeSpotifyProcess fake({.extra_args = {"--public-client", "pkce-app", "--redirect-uri",
                                            "http://127.0.0.1/callback"}});
    FakeSpotifyClient spotify(fake.base_url());
    spotify.create_user({{"id", "alice"}});
    const std::string redirect = "http://127.0.0.1:" + std::to_string(fake.port()) + "/callback";
    json request = {{"user", "alice"}, {"client_id", "pkce-app"}, {"redirect_uri", redirect}};

    auto params = authorize_params();
    set_param(params, "client_id", "pkce-app");
    set_param(params, "redirect_uri", redirect);
    params.erase("code_challenge");
    params.erase("code_challenge_method");
    auto answer = get_authorize(fake, params);
    REQUIRE(answer);
    CHECK(answer->status == 302);
    CHECK(query_value(answer->get_header_value("Location"), "error") == "invalid_request");
    CHECK_THROWS_WITH(spotify.authorize(request), Contains("code_challenge"));

    request["code_challenge"] = kChallenge;
    std::string code = spotify.authorize(request).at("code");
    CHECK(exchange(fake, code, std::nullopt, redirect, "pkce-app", std::nullopt).status == 400);
    code = spotify.authorize(request).at("code");
    CHECK(exchange(fake, code, kVerifier, redirect, "pkce-app", std::nullopt).status == 200);

    // A code issued without PKCE while the app still had a secret is useless once it has none.
    spotify.register_app("pkce-app", "was-confidential", {redirect});
    request.erase("code_challenge");
    code = spotify.authorize(request).at("code");
    spotify.register_app("pkce-app", std::nullopt, {redirect});
    auto late = exchange(fake, code, std::nullopt, redirect, "pkce-app", std::nullopt);
    CHECK(late.status == 400);
    CHECK(late.body.at("error_description") == "code_verifier required");
}

TEST_CASE("fake refresh token from a code exchange refreshes until revoked", "[fake]") {
    FakeSpotifyProcess fake;
    FakeSpotifyClient spotify(fake.base_url());
    spotify.create_user({{"id", "alice"}, {"rotate_refresh_tokens", true}});
    auto grant = exchange(fake, pkce_code(spotify), kVerifier);
    REQUIRE(grant.status == 200);
    const std::string refresh_token = grant.body.at("refresh_token");

    // A refresh token belongs to the app it was issued to, as on Spotify.
    spotify.register_app("other-app", "other-secret", {kRedirect});
    auto foreign = spotify.refresh("other-app", "other-secret", refresh_token);
    CHECK(foreign.status == 400);
    CHECK(foreign.body.at("error") == "invalid_grant");

    auto refreshed = spotify.refresh(kClient, kSecret, refresh_token);
    REQUIRE(refreshed.status == 200);
    CHECK(refreshed.body.at("access_token") != grant.body.at("access_token"));
    CHECK(refreshed.body.at("scope") == "user-read-private");
    CHECK(refreshed.body.at("refresh_token").is_string());  // rotated

    spotify.revoke_refresh_tokens("alice");
    auto revoked = spotify.refresh(kClient, kSecret, refresh_token);
    CHECK(revoked.status == 400);
    CHECK(revoked.body.at("error") == "invalid_grant");
}

TEST_CASE("fake apps registered at run time have their own redirect URIs", "[fake]") {
    FakeSpotifyProcess fake;
    FakeSpotifyClient spotify(fake.base_url());
    spotify.create_user({{"id", "alice"}});
    const std::string mine = "http://127.0.0.1:" + std::to_string(fake.port()) + "/cb";
    json app = spotify.register_app("per-test", "s3cret", {mine});
    CHECK(app ==
          json{{"client_id", "per-test"}, {"client_secret", "s3cret"}, {"redirect_uris", {mine}}});

    auto params = authorize_params();
    set_param(params, "client_id", "per-test");
    set_param(params, "redirect_uri", mine);
    auto page = get_authorize(fake, params);
    REQUIRE(page);
    CHECK(page->status == 200);
    set_param(params, "redirect_uri", kRedirect);  // the default app's, not this one's
    CHECK_THAT(get_authorize(fake, params)->body, Contains("INVALID_CLIENT: Invalid redirect URI"));

    // Replacing the app replaces its list.
    spotify.register_app("per-test", "s3cret", {"https://app.example/cb"});
    set_param(params, "redirect_uri", mine);
    CHECK(get_authorize(fake, params)->status == 400);

    CHECK_THROWS_WITH(spotify.register_app("bad", std::nullopt, {"http://localhost:1234/cb"}),
                      Contains("insecure"));
    CHECK_THROWS_WITH(spotify.register_app("bad", std::nullopt, {"/relative"}),
                      Contains("absolute"));
    CHECK_THROWS(FakeSpotifyProcess({.extra_args = {"--redirect-uri", "http://example.com/cb"}}));
}
