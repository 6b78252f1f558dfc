#include "adapters/web/Pages.h"

#include "adapters/web/AppSection.h"
#include "core/Scopes.h"
#include "core/StatePayload.h"

namespace s2m {

namespace {

const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f7f6;color:#1b1b1b}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}h2{font-size:1.1rem;margin-top:1.6rem}
.card{background:#fff;border-radius:10px;padding:1rem;margin:.6rem 0;box-shadow:0 1px 3px #0002}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}
.badge{display:inline-block;border-radius:1rem;padding:.1rem .6rem;font-size:.85rem;background:#e4e4e4}
.ok{background:#d7f5de;color:#135c24}.bad{background:#fde0dc;color:#8a1c0e}
.error{border-left:4px solid #c62828}.notice{border-left:4px solid #1db954}
button{font:inherit;border:0;border-radius:2rem;padding:.55rem 1.1rem;cursor:pointer}
.primary{background:#1db954;color:#fff;font-weight:600}.secondary{background:#e4e4e4}
input[type=text],input[type=url],input[type=password]{font:inherit;padding:.45rem;border:1px solid #bbb;border-radius:6px;width:100%;box-sizing:border-box}
code{background:#eee;padding:.1rem .3rem;border-radius:4px;word-break:break-all}
small,.muted{color:#555}form.inline{display:inline}
)";

std::string page(const std::string& title, const std::string& body) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
           "<meta name=\"referrer\" content=\"same-origin\">"
           "<title>" +
           html_escape(title) + "</title><style>" + kStyle + "</style></head><body><main>" + body +
           "</main></body></html>\n";
}

// Under ingress Spotify's consent page opens in a new tab: it refuses to be framed, and Home
// Assistant shows the add-on's page in a frame.
std::string link_target(bool ingress) {
    return ingress ? " target=\"_blank\"" : "";
}

std::string account_card(const AccountView& account, bool needs_setup_code, const std::string& base,
                         bool ingress) {
    std::string name = html_escape(account.name);
    std::string html =
        "<div class=\"card account\" id=\"account-" + name + "\"><div class=\"row\">";
    html += "<div><strong>" + name + "</strong>";
    if (account.display_name)
        html += " <span class=\"muted\">" + html_escape(*account.display_name) + "</span>";
    html += "</div><div>";
    if (account.reauth_required) {
        html += "<span class=\"badge bad\">needs re-link</span>";
    } else if (!account.linked) {
        html += "<span class=\"badge bad\">not linked</span>";
    } else {
        html += "<span class=\"badge ok\">linked</span>";
    }
    if (account.premium) {
        html += *account.premium ? " <span class=\"badge\">Premium</span>"
                                 : " <span class=\"badge\">Free: read only</span>";
    }
    html += "</div></div><p class=\"muted\">Status: " + html_escape(account.status);
    if (account.refresh_expires_at_ms > 0) {
        html += " · refresh token expires about " +
                html_escape(iso8601_utc(account.refresh_expires_at_ms).substr(0, 10));
    }
    html += "</p>";
    bool upgrade = account.linked && !account.reauth_required && !account.missing_scopes.empty();
    if (upgrade) {
        // Linking again asks for the scopes it lacks and keeps its name (docs/linking.md#scopes).
        std::string scopes;
        for (const std::string& scope : account.missing_scopes)
            scopes += (scopes.empty() ? "" : ", ") + html_escape(scope);
        html += "<p class=\"upgrade\">" + html_escape(kLinkAgainForScopes) +
                ". <small class=\"muted\">Missing: " + scopes + "</small></p>";
    }
    html += "<div class=\"row\">";
    if (!account.linked || account.reauth_required || upgrade) {
        html += "<form method=\"post\" action=\"" + base + "/link\" class=\"inline\"" +
                link_target(ingress) +
                ">"
                "<input type=\"hidden\" name=\"account\" value=\"" +
                name + "\">" + setup_code_field(needs_setup_code) +
                "<button class=\"primary\" type=\"submit\">" +
                (account.reauth_required || upgrade ? "Link again" : "Link") + "</button></form>";
    }
    if (account.linked) {
        html += "<form method=\"post\" action=\"" + base + "/accounts/" + name +
                "/unlink\" class=\"inline\" onsubmit=\"return confirm('Unlink " + name + "?')\">" +
                setup_code_field(needs_setup_code) +
                "<button class=\"secondary\" type=\"submit\">Unlink</button></form>";
    }
    html += "</div>";
    if (account.from_config && account.linked) {
        html +=
            "<p><small>Listed in the config's <code>accounts</code>: after unlinking, remove it "
            "there too or it comes back (with its seeded token) at the next start.</small></p>";
    }
    return html + "</div>";
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

std::string render_accounts_page(const AccountsPageInput& input) {
    std::string body = "<h1>spotify2mqtt accounts</h1>";
    if (input.error)
        body += "<div class=\"card error\" role=\"alert\">" + html_escape(*input.error) + "</div>";
    if (input.notice) body += "<div class=\"card notice\">" + html_escape(*input.notice) + "</div>";
    // First run: the app comes first, since nothing can be linked without it.
    const std::string app_section =
        render_app_section(input.app, input.needs_setup_code, input.redirect_uri, input.base_path);
    const std::string base = html_escape(input.base_path);
    if (!input.app_configured) body += app_section;
    if (input.accounts.empty()) body += "<p>No account is linked yet.</p>";
    for (const AccountView& account : input.accounts)
        body += account_card(account, input.needs_setup_code, base, input.ingress);

    body +=
        "<h2>Link a Spotify account</h2><div class=\"card\">"
        "<form method=\"post\" action=\"" +
        base + "/link\"" + link_target(input.ingress) +
        "><label for=\"account\">Name in MQTT topics "
        "<small>(optional: lower-case letters, digits, _ and -; default from the Spotify user "
        "id)</small></label><p><input type=\"text\" id=\"account\" name=\"account\" "
        "maxlength=\"32\" pattern=\"[a-z0-9_\\-]{1,32}\" autocomplete=\"off\"></p>" +
        setup_code_field(input.needs_setup_code) +
        "<button class=\"primary\" id=\"link\" type=\"submit\"" +
        std::string(input.app_configured ? "" : " disabled") +
        ">Link a Spotify account</button></form>"
        "<p><small>Spotify asks you to agree, then sends your browser back to this bridge. "
        "Sign in as the person whose account you link; each account is linked "
        "once.</small></p></div>";

    body += input.ingress
                ? "<h2>Finish linking</h2><div class=\"card\"><p id=\"ingress-paste\">Spotify "
                  "cannot send your browser back to this add-on through Home Assistant, so "
                  "after you agree its tab shows an error page: copy that page's whole address "
                  "from the address bar and paste it here.</p>"
                : "<h2>Browser on another machine?</h2><div class=\"card\">"
                  "<p>If the page after agreeing could not load (the bridge runs on a headless "
                  "host), copy the whole address from the browser's address bar and paste it "
                  "here.</p>";
    body += "<form method=\"post\" action=\"" + base +
            "/link/paste\"><p><input type=\"url\" name=\"url\" "
            "id=\"pasted-url\" placeholder=\"" +
            html_escape(input.redirect_uri) +
            "?code=…&amp;state=…\" required></p>"
            "<button class=\"secondary\" id=\"finish\" type=\"submit\">Finish "
            "linking</button></form></div>";

    body +=
        (input.app_configured ? app_section : std::string()) +
        "<h2>Setting up the Spotify app</h2><div class=\"card\">"
        "<p>Redirect URI to register in the Spotify dashboard, exactly:</p><p><code "
        "id=\"redirect-uri\">" +
        html_escape(input.redirect_uri) +
        "</code></p><ul>"
        "<li><strong>INVALID_CLIENT: Invalid redirect URI</strong> on Spotify's page means the "
        "app's settings do not list this address character for character (scheme, IP, port and "
        "path). Spotify refuses <code>localhost</code>: use <code>127.0.0.1</code> or HTTPS.</li>"
        "<li>An app in <strong>development mode</strong> can be used by at most 5 Spotify users, "
        "each added under <em>User Management</em> in the dashboard; others get an error after "
        "agreeing. The app's owner needs Premium.</li>"
        "<li>Controlling playback needs Premium; free accounts are shown read only.</li>"
        "<li>" +
        std::string(input.client_secret_configured
                        ? "This bridge authenticates with the app's Client Secret and PKCE."
                        : "No Client Secret is configured: linking uses PKCE alone.") +
        "</li></ul></div><p class=\"muted\"><small>spotify2mqtt " + html_escape(input.version) +
        "</small></p>";
    return page("spotify2mqtt accounts", body);
}

std::string render_message_page(const std::string& title, const std::string& message, bool ok,
                                const std::string& base_path) {
    return page(title, "<h1>" + html_escape(title) + "</h1><div class=\"card " +
                           (ok ? "notice" : "error") + "\" id=\"message\">" + html_escape(message) +
                           "</div><p><a href=\"" + html_escape(base_path) +
                           "/\">Back to the accounts</a></p>");
}

}  // namespace s2m
