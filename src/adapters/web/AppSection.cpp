#include "adapters/web/AppSection.h"

#include "adapters/web/Pages.h"

namespace s2m {

namespace {
std::string app_form(bool needs_setup_code, const std::string& button, const std::string& base) {
    // The secret field starts empty every time: what was saved is never sent back.
    return "<form method=\"post\" action=\"" + html_escape(base) +
           "/app\" id=\"app-form\">"
           "<p><label for=\"client-id\">Client ID</label><input type=\"text\" id=\"client-id\" "
           "name=\"client_id\" required maxlength=\"128\" pattern=\"[A-Za-z0-9_\\-]+\" "
           "autocomplete=\"off\" spellcheck=\"false\"></p>"
           "<p><label for=\"client-secret\">Client Secret <small>(optional: without it the "
           "bridge uses PKCE alone)</small></label><input type=\"password\" id=\"client-secret\" "
           "name=\"client_secret\" maxlength=\"128\" autocomplete=\"off\"></p>" +
           setup_code_field(needs_setup_code) +
           "<button class=\"primary\" id=\"save-app\" "
           "type=\"submit\">" +
           button + "</button></form>";
}

std::string where_from(const AppView& app) {
    switch (app.source) {
        case AppSource::EnvVariable:
            return "set by the environment variable <code>SPOTIFY2MQTT__SPOTIFY__CLIENT_ID</code> "
                   "(read only here: change it there and restart)";
        case AppSource::ConfigFile:
            return "set in the config file <code>" + html_escape(app.config_file) +
                   "</code> as <code>spotify.client_id</code> (read only here: change it there "
                   "and restart)";
        case AppSource::Page:
            return "entered on this page";
        case AppSource::None:
            break;
    }
    return "not set";
}
}  // namespace

std::string setup_code_field(bool needed) {
    if (!needed) return "";
    return "<p><label>Setup code <small>(you are not on the bridge's machine: the code is in the "
           "bridge's log at start, or is <code>web.setup_code</code> in its config)</small>"
           "<input type=\"password\" class=\"setup-code\" name=\"setup_code\" required "
           "autocomplete=\"off\"></label></p>";
}

std::string render_app_section(const AppView& app, bool needs_setup_code,
                               const std::string& redirect_uri, const std::string& base_path) {
    if (app.client_id.empty()) {
        return "<h2>Set up your Spotify app</h2><div class=\"card\" id=\"spotify-app\">"
               "<ol><li>Create an app at <a href=\"https://developer.spotify.com/dashboard\" "
               "target=\"_blank\" rel=\"noopener\">"
               "developer.spotify.com/dashboard</a> (tick <em>Web API</em>).</li>"
               "<li>Add this Redirect URI to it, exactly: <code>" +
               html_escape(redirect_uri) +
               "</code></li><li>Copy its Client ID (and, if you like, its Client Secret) "
               "here.</li></ol>" +
               app_form(needs_setup_code, "Save and continue", base_path) + "</div>";
    }
    std::string html =
        "<h2>Spotify app</h2><div class=\"card\" id=\"spotify-app\"><p>Client ID "
        "<code id=\"app-client-id\">" +
        html_escape(app.client_id) + "</code>, <span id=\"app-source\">" + where_from(app) +
        "</span>. " + (app.has_secret ? "With a Client Secret." : "No Client Secret: PKCE alone.") +
        "</p>";
    if (app.source == AppSource::Page) {
        html +=
            "<details id=\"change-app\"><summary>Change the Spotify app</summary>"
            "<p><small>Accounts linked with another app must be linked again: their tokens "
            "work only with the app that issued them.</small></p>" +
            app_form(needs_setup_code, "Save", base_path) + "</details>";
    }
    return html + "</div>";
}

}  // namespace s2m
