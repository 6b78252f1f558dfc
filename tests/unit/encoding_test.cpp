#include <catch2/catch.hpp>

#include "core/Encoding.h"
#include "core/TokenGrant.h"

using namespace s2m;

TEST_CASE("percent-encoding keeps only unreserved characters", "[encoding]") {
    CHECK(url_encode("abc-_.~XYZ019") == "abc-_.~XYZ019");
    CHECK(url_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
    CHECK(form_encode({{"grant_type", "refresh_token"}, {"refresh_token", "a+b/c"}}) ==
          "grant_type=refresh_token&refresh_token=a%2Bb%2Fc");
}

TEST_CASE("Base64 matches RFC 4648 test vectors", "[encoding]") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("foob") == "Zm9vYg==");
    CHECK(base64_encode("fooba") == "Zm9vYmE=");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(base64url_encode(std::string("\xfb\xff", 2)) == "-_8");
}

TEST_CASE("token endpoint answers", "[token]") {
    auto grant = parse_token_response(
        200,
        R"({"access_token":"AT","token_type":"Bearer","expires_in":3600,"scope":"a b","refresh_token":"RT2"})",
        std::nullopt);
    REQUIRE(grant.ok());
    CHECK(grant->access_token == "AT");
    CHECK(grant->refresh_token == "RT2");
    CHECK(grant->expires_in_s == 3600);

    auto no_rotation =
        parse_token_response(200, R"({"access_token":"AT","expires_in":3600})", std::nullopt);
    REQUIRE(no_rotation.ok());
    CHECK_FALSE(no_rotation->refresh_token);

    auto dead = parse_token_response(
        400, R"({"error":"invalid_grant","error_description":"Refresh token revoked"})",
        std::nullopt);
    REQUIRE_FALSE(dead.ok());
    CHECK(dead.error().kind == ErrorKind::InvalidGrant);

    auto client = parse_token_response(400, R"({"error":"invalid_client"})", std::nullopt);
    CHECK(client.error().reason == "INVALID_CLIENT");
    CHECK(parse_token_response(503, "busy", std::nullopt).error().transient());
    CHECK(parse_token_response(429, "", 5).error().retry_after_s == 5);
    CHECK(parse_token_response(200, "not json", std::nullopt).error().kind ==
          ErrorKind::BadResponse);
    CHECK(parse_token_response(200, R"({"access_token":5})", std::nullopt).error().kind ==
          ErrorKind::BadResponse);
}

TEST_CASE("ascii_lowercase folds A-Z only and leaves UTF-8 alone") {
    CHECK(ascii_lowercase("PLAY Pause") == "play pause");
    CHECK(ascii_lowercase("ÄÖÜ Liked") == "ÄÖÜ liked");
    CHECK(ascii_lowercase("") == "");
}

TEST_CASE("equal_ignoring_ascii_case matches header and variable names in any case") {
    CHECK(equal_ignoring_ascii_case("Content-Type", "content-type"));
    CHECK(equal_ignoring_ascii_case("SPOTIFY2MQTT__", "spotify2mqtt__"));
    CHECK(equal_ignoring_ascii_case("", ""));
    CHECK_FALSE(equal_ignoring_ascii_case("Host", "Hosts"));
    CHECK_FALSE(equal_ignoring_ascii_case("Ä", "ä"));  // only A-Z fold
    CHECK_FALSE(equal_ignoring_ascii_case("[", "{"));  // not letters: never folded
}

TEST_CASE("utf8_prefix cuts on a code point boundary and marks the cut") {
    CHECK(utf8_prefix("short", 10) == "short");
    CHECK(utf8_prefix("exactly10!", 10) == "exactly10!");
    CHECK(utf8_prefix("abcdefghijk", 4) == "abcd…");
    // "é" is two bytes: a cut inside it backs off to before it.
    CHECK(utf8_prefix("abcé", 4) == "abc…");
    CHECK(utf8_prefix("ééé", 1) == "…");
}

TEST_CASE("valid_utf8 keeps UTF-8 and replaces each stray byte by U+FFFD", "[encoding]") {
    CHECK(s2m::valid_utf8("Café ☕") == "Café ☕");
    CHECK(s2m::valid_utf8("a\xff"
                          "b") ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(s2m::valid_utf8("\xe9\x9e") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // a cut-off sequence
    CHECK(s2m::valid_utf8(std::string("x\0y", 3)) == std::string("x\0y", 3));
}

TEST_CASE("outside text is escaped for one log line and capped on a code point", "[encoding]") {
    CHECK(escape_control_characters("plain text") == "plain text");
    CHECK(escape_control_characters("a\nFAKE LOG LINE") == "a\\nFAKE LOG LINE");
    CHECK(escape_control_characters("\r\t") == "\\r\\t");
    CHECK(escape_control_characters(std::string("nul\0after", 9)) == "nul\\x00after");
    CHECK(escape_control_characters("\x1b[2J\x1b]0;title\x07") == "\\x1b[2J\\x1b]0;title\\x07");
    CHECK(escape_control_characters("del\x7f") == "del\\x7f");
    CHECK(escape_control_characters("c1 \xc2\x9b"
                                    "31m") == "c1 \\u009b31m");  // CSI
    CHECK(escape_control_characters("caf\xc3\xa9 \xe2\x99\xab") == "caf\xc3\xa9 \xe2\x99\xab");
    CHECK(escape_control_characters("bad \xff byte") == "bad \xef\xbf\xbd byte");

    CHECK(untrusted_excerpt("short") == "short");
    std::string huge(200 * 1024, 'x');
    std::string cut = untrusted_excerpt(huge);
    CHECK(cut.size() == kQuotedBytes + std::string("…").size());
    CHECK(cut.ends_with("…"));
    // Never inside a code point or an escape.
    CHECK(untrusted_excerpt("ab\xc3\xa9", 3) == "ab…");
    CHECK(untrusted_excerpt("ab\ncd", 3) == "ab…");
    CHECK(untrusted_excerpt("ab\ncd", 4) == "ab\\n…");
}

TEST_CASE("split keeps empty parts, so topic levels and URL segments keep their positions",
          "[encoding]") {
    using Parts = std::vector<std::string_view>;
    CHECK(split("a/set/volume", '/') == Parts{"a", "set", "volume"});
    CHECK(split("a//b", '/') == Parts{"a", "", "b"});
    CHECK(split("a/set/", '/') == Parts{"a", "set", ""});
    CHECK(split("", '/') == Parts{""});
    CHECK(split("spotify:track:abc", ':') == Parts{"spotify", "track", "abc"});
}
