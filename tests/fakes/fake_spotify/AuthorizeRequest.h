// The parameters of GET /authorize, checked the way accounts.spotify.com checks them. Shared by
// the consent page, its form (POST /authorize/decision, which re-checks everything because the
// hidden fields come back from the browser) and the test shortcut POST /_control/authorize.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "Http.h"
#include "World.h"

namespace fake_spotify {

struct AuthorizeRequest {
    std::string client_id;
    std::string response_type;
    std::string redirect_uri;
    std::optional<std::string> state;  // absent or empty: the redirect carries no state
    std::string scope;                 // space separated, as requested (duplicates dropped)
    std::optional<std::string> code_challenge_method;
    std::optional<std::string> code_challenge;
    std::optional<std::string> show_dialog;  // accepted and carried along; no effect here
};

// A refused request. Until client and redirect URI are trusted Spotify shows an error page
// (`location` empty, `message` is the page's text); afterwards it sends the user back to the app
// (`location` is redirect_uri?error=…&error_description=…&state=…).
struct AuthorizeError : std::runtime_error {
    AuthorizeError(std::string message_, std::string location_ = "")
        : std::runtime_error(message_),
          message(std::move(message_)),
          location(std::move(location_)) {}
    std::string message;
    std::string location;
};

// Throws AuthorizeError; `params` is the query string or the decision form.
AuthorizeRequest check_authorize_request(const World& world, const Params& params);

// redirect_uri?key=value&… (or …&key=value when it already has a query); pairs are encoded.
std::string redirect_location(const std::string& redirect_uri,
                              const std::vector<std::pair<std::string, std::string>>& params);
// The answer for the app: code or error, plus the request's state when it had one.
std::string code_location(const AuthorizeRequest& request, const std::string& code);
std::string error_location(const AuthorizeRequest& request, const std::string& error,
                           const std::string& description = "");

// Exact match, except that a registered loopback IP literal without a port (http://127.0.0.1/cb,
// http://[::1]/cb) matches that URI with any port, as Spotify allows for native apps.
bool redirect_uri_registered(const ClientApp& app, const std::string& uri);
// Why an app may not register `uri`, or nullopt: Spotify's dashboard rules (absolute, no
// fragment, http only for the loopback literals 127.0.0.1 and [::1]).
std::optional<std::string> redirect_uri_problem(const std::string& uri);

// Spotify's scopes and what the consent page says about each; nullptr for an unknown scope.
const char* scope_description(const std::string& scope);

}  // namespace fake_spotify
