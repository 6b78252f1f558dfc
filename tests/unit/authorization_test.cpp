// Linking: PKCE, the pending-request table (state), callback parsing and account names.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/Authorization.h"
#include "core/Encoding.h"
#include "core/TokenGrant.h"
#include "support/CountingRandom.h"

using namespace s2m;

namespace {
using test::counting_random;

std::string query_value(const std::string& url, const std::string& key) {
    auto pairs = parse_query(url.substr(url.find('?') + 1));
    for (const auto& [k, v] : *pairs) {
        if (k == key) return v;
    }
    return "";
}
}  // namespace

TEST_CASE("PKCE S256 matches RFC 7636 Appendix B", "[auth]") {
    CHECK(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("url decoding and query parsing", "[auth]") {
    CHECK(url_decode("a%20b+c%2F") == "a b c/");
    CHECK_FALSE(url_decode("bad%2"));
    CHECK_FALSE(url_decode("bad%zz"));
    auto pairs = parse_query("code=AQ%2Bx&state=s1&&flag");
    REQUIRE(pairs);
    REQUIRE(pairs->size() == 3);
    CHECK((*pairs)[0] == std::make_pair(std::string("code"), std::string("AQ+x")));
    CHECK((*pairs)[2] == std::make_pair(std::string("flag"), std::string()));
}

TEST_CASE("a pending authorization is single use and expires after 10 minutes", "[auth]") {
    PendingAuthorizations pending(counting_random());
    const int64_t t0 = 1'000'000;
    std::string first = pending.begin(std::string("alice"), t0).state;
    std::string second = pending.begin(std::nullopt, t0).state;
    CHECK(first != second);
    CHECK(first.size() >= 32);

    auto taken = pending.take(first, t0 + 1000);
    REQUIRE(taken);
    CHECK(taken->account == "alice");
    CHECK(taken->verifier.size() >= 43);
    CHECK(taken->verifier.size() <= 128);
    CHECK_FALSE(pending.take(first, t0 + 2000));  // replayed state
    CHECK_FALSE(pending.take("forged", t0 + 2000));
    CHECK_FALSE(pending.take(second, t0 + PendingAuthorizations::kLifetimeMs + 1));  // expired
    CHECK(pending.size() == 0);
}

TEST_CASE("pressing Link many times keeps only the newest requests", "[auth]") {
    PendingAuthorizations pending(counting_random());
    std::string oldest = pending.begin(std::nullopt, 0).state;
    for (int i = 1; i <= 40; ++i) pending.begin(std::nullopt, i);
    CHECK(pending.size() == PendingAuthorizations::kMaxPending);
    CHECK_FALSE(pending.take(oldest, 50));
}

TEST_CASE("the authorize URL carries client, redirect, state, scopes and the S256 challenge",
          "[auth]") {
    SpotifyConfig spotify;
    spotify.client_id = "cid";
    spotify.accounts_url = "http://127.0.0.1:9/acc";
    spotify.redirect_uri = "http://127.0.0.1:8888/callback";
    PendingAuthorizations pending(counting_random());
    const PendingAuthorization& request = pending.begin(std::nullopt, 0);
    std::string url = authorize_url(spotify, request);
    CHECK(url.rfind("http://127.0.0.1:9/acc/authorize?", 0) == 0);
    CHECK(query_value(url, "client_id") == "cid");
    CHECK(query_value(url, "response_type") == "code");
    CHECK(query_value(url, "redirect_uri") == spotify.redirect_uri);
    CHECK(query_value(url, "state") == request.state);
    CHECK(query_value(url, "code_challenge_method") == "S256");
    CHECK(query_value(url, "code_challenge") == pkce_challenge(request.verifier));
    CHECK(query_value(url, "scope") == scope_string());
    CHECK(url.find(request.verifier) == std::string::npos);  // the verifier never leaves
    for (const char* scope : {"user-read-playback-state", "user-modify-playback-state",
                              "user-read-currently-playing", "playlist-read-private",
                              "user-library-read", "user-library-modify", "user-read-private"}) {
        CHECK(scope_string().find(scope) != std::string::npos);
    }
}

TEST_CASE("a pasted callback address is read in the forms people paste", "[auth]") {
    for (const char* pasted : {"http://127.0.0.1:8888/callback?code=AQ%2Bc&state=s-1",
                               "  http://127.0.0.1:8888/callback?state=s-1&code=AQ%2Bc#_=_\n",
                               "?code=AQ%2Bc&state=s-1", "code=AQ%2Bc&state=s-1"}) {
        INFO(pasted);
        auto params = parse_callback(pasted);
        REQUIRE(params.ok());
        CHECK(params->code == "AQ+c");
        CHECK(params->state == "s-1");
    }
    auto denied = parse_callback("http://x/callback?error=access_denied&state=s-2");
    REQUIRE(denied.ok());
    CHECK(denied->error == "access_denied");
    CHECK(describe_authorize_error("access_denied").find("Cancel") != std::string::npos);
    CHECK(describe_authorize_error("<script>").find('<') == std::string::npos);

    CHECK_FALSE(parse_callback("").ok());
    CHECK_FALSE(parse_callback("http://x/callback?code=abc").ok());   // no state
    CHECK_FALSE(parse_callback("http://x/callback?state=abc").ok());  // neither code nor error
    CHECK_FALSE(parse_callback("http://x/callback?code=%zz&state=1").ok());
}

TEST_CASE("account names: requested, kept for the same user, derived, collisions refused",
          "[auth]") {
    CHECK(account_name_for_user("Alice.Smith+1") == "alice-smith-1");
    CHECK(account_name_for_user("") == "spotify");
    CHECK(account_name_for_user(std::string(40, 'a')).size() == 32);

    std::vector<LinkedName> existing{{"alice", std::string("alice-id")}, {"seeded", std::nullopt}};
    CHECK(choose_account_name(std::string("bob"), "bob-id", existing).value() == "bob");
    CHECK(choose_account_name(std::nullopt, "alice-id", existing).value() == "alice");
    CHECK(choose_account_name(std::nullopt, "Carol", existing).value() == "carol");
    CHECK(choose_account_name(std::string("seeded"), "dave", existing).value() == "seeded");
    CHECK(choose_account_name(std::string("alice"), "alice-id", existing).ok());  // re-link

    auto taken = choose_account_name(std::string("alice"), "mallory", existing);
    REQUIRE_FALSE(taken.ok());
    CHECK(taken.error().message.find("already belongs to another Spotify account") !=
          std::string::npos);
    CHECK(taken.error().kind == ErrorKind::Refused);  // the person's choice, not a bridge fault
    auto bad = choose_account_name(std::string("Bad Name"), "x", existing);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("lower-case") != std::string::npos);
    CHECK(bad.error().kind == ErrorKind::Refused);
}

TEST_CASE("one Spotify user is one account: a second name is refused, naming the first", "[auth]") {
    std::vector<LinkedName> existing{{"alice", std::string("alice-id")}, {"seeded", std::nullopt}};
    auto twice = choose_account_name(std::string("alice2"), "alice-id", existing);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().message.find("already linked as `alice`") != std::string::npos);
    CHECK(twice.error().message.find("spotify2mqtt link --account alice") != std::string::npos);
    CHECK(twice.error().kind == ErrorKind::Refused);
    // A config name waiting for its first link is no way around it.
    CHECK_FALSE(choose_account_name(std::string("seeded"), "alice-id", existing).ok());
    // Linking again under the existing name, or with no name, keeps that account.
    CHECK(choose_account_name(std::string("alice"), "alice-id", existing).value() == "alice");
    CHECK(choose_account_name(std::nullopt, "alice-id", existing).value() == "alice");
}

TEST_CASE("a derived account name obeys the rules of a typed one: `bridge` is reserved", "[auth]") {
    std::vector<LinkedName> none;
    CHECK_FALSE(choose_account_name(std::string("bridge"), "bridge", none).ok());
    auto derived = choose_account_name(std::nullopt, "bridge", none);
    REQUIRE(derived.ok());
    CHECK(derived.value() == "spotify-bridge");
    CHECK(choose_account_name(std::nullopt, "BRIDGE", none).value() == "spotify-bridge");
    // The alternative is refused like any name when another user holds it.
    std::vector<LinkedName> held{{"spotify-bridge", std::string("someone-else")}};
    CHECK_FALSE(choose_account_name(std::nullopt, "bridge", held).ok());
    // Linked once as spotify-bridge, the same user keeps that name.
    std::vector<LinkedName> mine{{"spotify-bridge", std::string("bridge")}};
    CHECK(choose_account_name(std::nullopt, "bridge", mine).value() == "spotify-bridge");
}

TEST_CASE("errors from the token endpoint never repeat what might be secret", "[auth][redaction]") {
    const std::string secret = "AQD-very-secret-refresh-token";
    for (const std::string& body :
         {R"({"error":"invalid_grant","error_description":"Invalid refresh token )" + secret +
              "\"}",
          R"({"error":"invalid_client","error_description":")" + secret + "\"}",
          R"({"error":"server_error","error_description":")" + secret + "\"}",
          "<html>" + secret + "</html>"}) {
        auto grant = parse_token_response(400, body, std::nullopt);
        REQUIRE_FALSE(grant.ok());
        CHECK(grant.error().message.find(secret) == std::string::npos);
    }
    auto ok_but_broken = parse_token_response(
        200, R"({"access_token":7,"refresh_token":")" + secret + "\"}", std::nullopt);
    REQUIRE_FALSE(ok_but_broken.ok());
    CHECK(ok_but_broken.error().message.find(secret) == std::string::npos);
}

TEST_CASE("a refresh_token that is empty or not a token is no rotation", "[auth][token]") {
    for (const char* refresh :
         {R"("")", R"("   ")", "7", "null", R"("rt\r\nX-Evil: 1")", R"("has space")"}) {
        INFO(refresh);
        auto grant = parse_token_response(
            200, std::string(R"({"access_token":"at-1","refresh_token":)") + refresh + "}",
            std::nullopt);
        REQUIRE(grant.ok());
        CHECK(grant->access_token == "at-1");
        CHECK_FALSE(grant->refresh_token.has_value());
    }
    auto rotated = parse_token_response(
        200, R"({"access_token":"at-1","refresh_token":"AQB-x_y.z~1+2/3=="})", std::nullopt);
    REQUIRE(rotated.ok());
    CHECK(rotated->refresh_token == "AQB-x_y.z~1+2/3==");
}

TEST_CASE("an access_token with characters outside the token alphabet is refused",
          "[auth][token]") {
    for (const std::string& token :
         {std::string("at\r\nX-Injected: 1"), std::string("a b"), std::string("at\n"),
          std::string("=abc"), std::string("a\0b", 3), std::string(kMaxTokenBytes + 1, 'a')}) {
        nlohmann::json body{{"access_token", token}, {"expires_in", 3600}};
        auto grant = parse_token_response(200, body.dump(), std::nullopt);
        REQUIRE_FALSE(grant.ok());
        CHECK(grant.error().kind == ErrorKind::BadResponse);
        CHECK(grant.error().message.find("access_token") != std::string::npos);
        CHECK(grant.error().message.find("X-Injected") == std::string::npos);
    }
    CHECK(is_token_text("BQC4-abc_DEF.ghi~jkl+mno/pqr=="));
    CHECK_FALSE(is_token_text(""));
    CHECK_FALSE(is_token_text("abc=def"));
}

TEST_CASE("400 invalid_grant and invalid_request both ask for a new link", "[auth][token]") {
    for (const char* code : {"invalid_grant", "invalid_request"}) {
        INFO(code);
        auto grant = parse_token_response(
            400, std::string(R"({"error":")") + code + R"(","error_description":"x"})",
            std::nullopt);
        REQUIRE_FALSE(grant.ok());
        CHECK(grant.error().kind == ErrorKind::InvalidGrant);
        CHECK(grant.error().message.find("link the account again") != std::string::npos);
    }
    auto other = parse_token_response(400, R"({"error":"unsupported_grant_type"})", std::nullopt);
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().kind == ErrorKind::Http);
}

TEST_CASE("a missing, malformed or absurd expires_in falls back to an hour", "[auth][token]") {
    auto lifetime = [](const std::string& expires) {
        auto grant = parse_token_response(
            200, R"({"access_token":"at-1","expires_in":)" + expires + "}", std::nullopt);
        REQUIRE(grant.ok());
        return grant->expires_in_s;
    };
    CHECK(lifetime("1800") == 1800);
    CHECK(lifetime("null") == 3600);
    CHECK(lifetime(R"("3600")") == 3600);
    CHECK(lifetime("0") == 3600);
    CHECK(lifetime("-5") == 3600);
    CHECK(lifetime("5") == 300);  // not a refresh before every call
    CHECK(lifetime("1e300") == 24 * 3600);
}
