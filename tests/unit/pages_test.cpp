// The account page's HTML: everything from outside is escaped, nothing secret can appear.
#include <catch2/catch.hpp>

#include "adapters/web/Pages.h"

using namespace s2m;

TEST_CASE("html_escape covers the five HTML specials", "[web]") {
    CHECK(html_escape(R"(<a href="x">'&'</a>)") ==
          "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    CHECK(html_escape("plain") == "plain");
}

TEST_CASE("the accounts page shows each account's state and escapes what Spotify sent", "[web]") {
    AccountsPageInput input;
    input.redirect_uri = "http://127.0.0.1:8888/callback";
    input.version = "0.1.0";
    AccountView alice;
    alice.name = "alice";
    alice.display_name = "<script>alert(1)</script>";
    alice.linked = true;
    alice.premium = true;
    alice.status = "online";
    alice.refresh_expires_at_ms = 1795000000000;  // 2026-11-18
    AccountView bob;
    bob.name = "bob";
    bob.linked = true;
    bob.reauth_required = true;
    bob.premium = false;
    bob.status = "reauth_required";
    input.accounts = {alice, bob};
    input.error = "bad <thing>";
    std::string html = render_accounts_page(input);

    CHECK(html.find("<script>alert(1)</script>") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("bad &lt;thing&gt;") != std::string::npos);
    CHECK(html.find("id=\"account-alice\"") != std::string::npos);
    CHECK(html.find("Premium") != std::string::npos);
    CHECK(html.find("2026-11-18") != std::string::npos);
    CHECK(html.find("needs re-link") != std::string::npos);
    CHECK(html.find("Link again") != std::string::npos);
    CHECK(html.find("Free: read only") != std::string::npos);
    CHECK(html.find("Link a Spotify account") != std::string::npos);
    CHECK(html.find("http://127.0.0.1:8888/callback") != std::string::npos);
    CHECK(html.find("INVALID_CLIENT: Invalid redirect URI") != std::string::npos);
    CHECK(html.find("5 Spotify users") != std::string::npos);
    CHECK(html.find("action=\"/link/paste\"") != std::string::npos);
    CHECK(html.find("name=\"viewport\"") != std::string::npos);  // readable on a phone
}

TEST_CASE("without a Spotify app the page says how to make one and cannot start a link", "[web]") {
    AccountsPageInput input;
    input.app_configured = false;
    input.redirect_uri = "http://127.0.0.1:8888/callback";
    std::string html = render_accounts_page(input);
    CHECK(html.find("developer.spotify.com/dashboard") != std::string::npos);
    CHECK(html.find("No account is linked yet") != std::string::npos);
    CHECK(html.find("disabled") != std::string::npos);
}

TEST_CASE("a message page escapes its text", "[web]") {
    std::string html = render_message_page("Linking failed", "name `<b>` is taken", false);
    CHECK(html.find("name `&lt;b&gt;` is taken") != std::string::npos);
    CHECK(html.find("class=\"card error\"") != std::string::npos);
}

TEST_CASE(
    "the app section: a form on first run, the source read only, a change form for the "
    "page's own",
    "[web][app_settings]") {
    AccountsPageInput input;
    input.redirect_uri = "http://127.0.0.1:8888/callback";
    input.app_configured = false;
    std::string first = render_accounts_page(input);
    CHECK(first.find("action=\"/app\"") != std::string::npos);
    CHECK(first.find("name=\"client_secret\"") != std::string::npos);
    CHECK(first.find("Save and continue") != std::string::npos);

    input.app_configured = true;
    input.app = AppView{"cid123", true, AppSource::ConfigFile, "/etc/spotify2mqtt/config.json"};
    std::string config = render_accounts_page(input);
    CHECK(config.find("cid123") != std::string::npos);
    CHECK(config.find("/etc/spotify2mqtt/config.json") != std::string::npos);
    CHECK(config.find("read only") != std::string::npos);
    CHECK(config.find("action=\"/app\"") == std::string::npos);

    input.app.source = AppSource::EnvVariable;
    std::string env = render_accounts_page(input);
    CHECK(env.find("SPOTIFY2MQTT__SPOTIFY__CLIENT_ID") != std::string::npos);
    CHECK(env.find("action=\"/app\"") == std::string::npos);

    input.app.source = AppSource::Page;
    std::string page = render_accounts_page(input);
    CHECK(page.find("entered on this page") != std::string::npos);
    CHECK(page.find("id=\"change-app\"") != std::string::npos);
    CHECK(page.find("action=\"/app\"") != std::string::npos);
    CHECK(page.find("name=\"setup_code\"") == std::string::npos);
    input.needs_setup_code = true;
    CHECK(render_accounts_page(input).find("name=\"setup_code\"") != std::string::npos);
}
