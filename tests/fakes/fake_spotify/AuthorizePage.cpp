#include "AuthorizePage.h"

namespace fake_spotify {

namespace {

// Enough style that a person trying the demo sees a page, not a form dump.
const char* kHead = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>)";

const char* kStyle = R"(</title>
<style>
body{font-family:sans-serif;background:#121212;color:#fff;max-width:28rem;margin:3rem auto;padding:0 1rem}
select,button{font-size:1rem;padding:.5rem 1rem;margin:.25rem 0}
#agree{background:#1db954;border:0;border-radius:2rem;color:#000;font-weight:bold}
#cancel{background:none;border:1px solid #888;border-radius:2rem;color:#fff}
code{word-break:break-all}
</style>
</head>
<body>
)";

std::string page(const std::string& title, const std::string& body) {
    return kHead + html_escape(title) + kStyle + body + "</body>\n</html>\n";
}

std::string hidden(const std::string& name, const std::optional<std::string>& value) {
    if (!value) return "";
    return "<input type=\"hidden\" name=\"" + html_escape(name) + "\" value=\"" +
           html_escape(*value) + "\">\n";
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
                out += c;
        }
    }
    return out;
}

std::string error_page(const std::string& message) {
    return page("Error - fake Spotify",
                "<h1>fake Spotify</h1>\n<p id=\"error\">" + html_escape(message) + "</p>\n");
}

std::string consent_page(const AuthorizeRequest& request, const std::vector<PageUser>& users,
                         const std::optional<std::string>& hint) {
    std::optional<std::string> selected = hint;
    if (!selected && users.size() == 1) selected = users.front().id;
    bool known = false;
    for (const auto& user : users) known = known || user.id == selected;

    std::string body = "<h1>fake Spotify</h1>\n<p><strong id=\"client-id\">" +
                       html_escape(request.client_id) +
                       "</strong> wants to access your Spotify account.</p>\n" +
                       "<form id=\"consent\" method=\"post\" action=\"/authorize/decision\">\n" +
                       "<p><label for=\"user\">Log in as</label>\n" +
                       "<select id=\"user\" name=\"user\" required>\n";
    // Without a (known) preselection the browser must not submit the first user by accident.
    if (!known) body += "<option value=\"\" disabled selected>Choose a user</option>\n";
    for (const auto& user : users) {
        body += "<option value=\"" + html_escape(user.id) + "\"" +
                (known && user.id == selected ? " selected" : "") + ">" +
                html_escape(user.display_name) + " (" + html_escape(user.id) + ")</option>\n";
    }
    body += "</select></p>\n<ul id=\"scopes\">\n";
    for (const auto& scope : split(request.scope, ' ')) {
        if (scope.empty()) continue;
        const char* description = scope_description(scope);
        body += "<li data-scope=\"" + html_escape(scope) + "\">" + html_escape(scope) + ": " +
                html_escape(description ? description : "") + "</li>\n";
    }
    if (request.scope.empty()) body += "<li>Only your public profile</li>\n";
    body += "</ul>\n<p>You will be sent back to <code id=\"redirect-uri\">" +
            html_escape(request.redirect_uri) + "</code></p>\n";
    body += hidden("client_id", request.client_id) +
            hidden("response_type", request.response_type) +
            hidden("redirect_uri", request.redirect_uri) + hidden("state", request.state) +
            hidden("scope", request.scope.empty() ? std::nullopt
                                                  : std::optional<std::string>(request.scope)) +
            hidden("code_challenge_method", request.code_challenge_method) +
            hidden("code_challenge", request.code_challenge) +
            hidden("show_dialog", request.show_dialog);
    // formnovalidate: Cancel must work without choosing a user.
    body +=
        "<button id=\"agree\" type=\"submit\" name=\"decision\" value=\"agree\">Agree</button>\n"
        "<button id=\"cancel\" type=\"submit\" name=\"decision\" value=\"cancel\" "
        "formnovalidate>Cancel</button>\n</form>\n";
    return page("Log in - fake Spotify", body);
}

}  // namespace fake_spotify
