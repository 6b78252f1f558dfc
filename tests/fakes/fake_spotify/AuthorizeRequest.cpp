#include "AuthorizeRequest.h"

#include <algorithm>
#include <cctype>

namespace fake_spotify {

namespace {

// "scheme://authority/rest" split in three; nullopt without "://".
struct UriParts {
    std::string scheme;
    std::string authority;
    std::string rest;  // path, query and fragment
};

std::optional<UriParts> split_uri_parts(const std::string& uri) {
    auto sep = uri.find("://");
    if (sep == std::string::npos || sep == 0) return std::nullopt;
    UriParts parts;
    parts.scheme = uri.substr(0, sep);
    bool scheme_ok =
        std::isalpha(static_cast<unsigned char>(parts.scheme[0])) &&
        std::all_of(parts.scheme.begin(), parts.scheme.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
        });
    if (!scheme_ok) return std::nullopt;
    auto end = uri.find_first_of("/?#", sep + 3);
    parts.authority = uri.substr(sep + 3, end == std::string::npos ? end : end - sep - 3);
    parts.rest = end == std::string::npos ? "" : uri.substr(end);
    return parts;
}

bool is_loopback_literal(const std::string& host) {
    return host == "127.0.0.1" || host == "[::1]";
}

// "127.0.0.1:8080" -> "127.0.0.1"; "[::1]:8080" -> "[::1]".
std::string host_of(const std::string& authority) {
    auto colon = authority.rfind(':');
    auto bracket = authority.rfind(']');
    if (colon == std::string::npos || (bracket != std::string::npos && colon < bracket)) {
        return authority;
    }
    return authority.substr(0, colon);
}

std::optional<std::string> param(const Params& params, const char* key) {
    auto it = params.find(key);
    if (it == params.end()) return std::nullopt;
    return it->second;
}

// RFC 7636: BASE64URL(SHA256(…)) is exactly 43 characters of the base64url alphabet.
bool well_formed_s256_challenge(const std::string& challenge) {
    return challenge.size() == 43 && std::all_of(challenge.begin(), challenge.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
           });
}

// Once client and redirect URI are trusted, errors go back to the app.
[[noreturn]] void refuse_to_app(const AuthorizeRequest& request, const std::string& error,
                                const std::string& description) {
    throw AuthorizeError(error + ": " + description, error_location(request, error, description));
}

}  // namespace

AuthorizeRequest check_authorize_request(const World& world, const Params& params) {
    AuthorizeRequest request;
    // Nothing is redirected until the app and its redirect URI are known: sending an error to an
    // unchecked URI would make the accounts service an open redirector.
    auto client_id = param(params, "client_id");
    if (!client_id || client_id->empty()) {
        throw AuthorizeError("Missing required parameter: client_id");
    }
    const ClientApp* app = world.client(*client_id);
    if (!app) throw AuthorizeError("INVALID_CLIENT: Invalid client");
    request.client_id = *client_id;
    auto redirect_uri = param(params, "redirect_uri");
    if (!redirect_uri || redirect_uri->empty()) {
        throw AuthorizeError("Missing required parameter: redirect_uri");
    }
    if (!redirect_uri_registered(*app, *redirect_uri)) {
        throw AuthorizeError("INVALID_CLIENT: Invalid redirect URI");
    }
    request.redirect_uri = *redirect_uri;
    request.state = param(params, "state");
    if (request.state && request.state->empty()) request.state.reset();

    // Spotify refuses unknown scopes on its own page rather than telling the app.
    std::vector<std::string> scopes;
    for (const auto& scope : split(param(params, "scope").value_or(""), ' ')) {
        if (scope.empty() || std::find(scopes.begin(), scopes.end(), scope) != scopes.end()) {
            continue;
        }
        if (!scope_description(scope)) throw AuthorizeError("Illegal scope");
        scopes.push_back(scope);
    }
    for (const auto& scope : scopes) request.scope += (request.scope.empty() ? "" : " ") + scope;

    auto response_type = param(params, "response_type");
    if (!response_type || response_type->empty()) {
        refuse_to_app(request, "invalid_request", "response_type must be supplied");
    }
    if (*response_type != "code")
        refuse_to_app(request, "unsupported_response_type", "response_type must be code");
    request.response_type = *response_type;

    request.code_challenge_method = param(params, "code_challenge_method");
    request.code_challenge = param(params, "code_challenge");
    if (request.code_challenge_method && request.code_challenge_method->empty()) {
        request.code_challenge_method.reset();
    }
    if (request.code_challenge && request.code_challenge->empty()) request.code_challenge.reset();
    if (request.code_challenge) {
        // Spotify supports only S256; RFC 7636's "plain" (its default) would leak the verifier.
        if (request.code_challenge_method != "S256") {
            refuse_to_app(request, "invalid_request", "code_challenge_method must be S256");
        }
        if (!well_formed_s256_challenge(*request.code_challenge)) {
            refuse_to_app(request, "invalid_request",
                          "code_challenge must be 43 base64url characters");
        }
    } else if (request.code_challenge_method) {
        refuse_to_app(request, "invalid_request",
                      "code_challenge must be supplied with code_challenge_method");
    } else if (!app->secret) {
        // Without a secret, PKCE is the only thing that ties the code to the app that asked.
        refuse_to_app(request, "invalid_request",
                      "code_challenge must be supplied by a client without secret");
    }
    request.show_dialog = param(params, "show_dialog");
    return request;
}

std::string redirect_location(const std::string& redirect_uri,
                              const std::vector<std::pair<std::string, std::string>>& params) {
    std::string location = redirect_uri;
    char sep = redirect_uri.find('?') == std::string::npos ? '?' : '&';
    for (const auto& [key, value] : params) {
        location += sep + url_encode(key) + "=" + url_encode(value);
        sep = '&';
    }
    return location;
}

std::string code_location(const AuthorizeRequest& request, const std::string& code) {
    std::vector<std::pair<std::string, std::string>> params{{"code", code}};
    if (request.state) params.emplace_back("state", *request.state);
    return redirect_location(request.redirect_uri, params);
}

std::string error_location(const AuthorizeRequest& request, const std::string& error,
                           const std::string& description) {
    std::vector<std::pair<std::string, std::string>> params{{"error", error}};
    if (!description.empty()) params.emplace_back("error_description", description);
    if (request.state) params.emplace_back("state", *request.state);
    return redirect_location(request.redirect_uri, params);
}

bool redirect_uri_registered(const ClientApp& app, const std::string& uri) {
    auto asked = split_uri_parts(uri);
    for (const auto& registered : app.redirect_uris) {
        if (registered == uri) return true;
        auto parts = split_uri_parts(registered);
        if (!asked || !parts || !is_loopback_literal(parts->authority)) continue;
        // What follows the registered host must be ":1" to ":65535" (five digits at most).
        auto port =
            asked->authority.substr(std::min(asked->authority.size(), parts->authority.size()));
        bool port_only = asked->authority.starts_with(parts->authority) && port.size() > 1 &&
                         port.size() <= 6 && port[0] == ':' &&
                         std::all_of(port.begin() + 1, port.end(), [](char c) {
                             return std::isdigit(static_cast<unsigned char>(c));
                         });
        if (port_only && asked->scheme == parts->scheme && asked->rest == parts->rest) return true;
    }
    return false;
}

std::optional<std::string> redirect_uri_problem(const std::string& uri) {
    auto parts = split_uri_parts(uri);
    if (!parts) return "must be an absolute URI such as http://127.0.0.1:8888/callback";
    if (uri.find('#') != std::string::npos) return "must not contain a fragment";
    if (parts->authority.find('@') != std::string::npos) return "must not contain credentials";
    if (parts->scheme == "http" && !is_loopback_literal(host_of(parts->authority))) {
        return "is insecure: http:// is only allowed with the loopback addresses 127.0.0.1 and "
               "[::1] (not localhost); use https:// otherwise";
    }
    return std::nullopt;
}

const char* scope_description(const std::string& scope) {
    // The scopes of Spotify's Web API reference (oauth_2_0 security scheme), reworded.
    static const std::pair<const char*, const char*> scopes[] = {
        {"app-remote-control", "Communicate with the Spotify app on your device"},
        {"playlist-read-private", "Access your private playlists"},
        {"playlist-read-collaborative", "Access your collaborative playlists"},
        {"playlist-modify-public", "Manage your public playlists"},
        {"playlist-modify-private", "Manage your private playlists"},
        {"user-library-read", "Access your saved content"},
        {"user-library-modify", "Manage your saved content"},
        {"user-read-private", "Access your subscription details"},
        {"user-read-email", "Get your real email address"},
        {"user-follow-read", "Access your followers and who you are following"},
        {"user-follow-modify", "Manage who you are following"},
        {"user-top-read", "Read your top artists and content"},
        {"user-read-playback-position", "Read your position in content you have played"},
        {"user-read-playback-state", "Read what is playing and your Spotify Connect devices"},
        {"user-read-recently-played", "Access your recently played items"},
        {"user-read-currently-playing", "Read your currently playing content"},
        {"user-modify-playback-state", "Control playback on your Spotify Connect devices"},
        {"ugc-image-upload", "Upload images to Spotify on your behalf"},
        {"streaming", "Play content and control playback on your other devices"},
    };
    for (const auto& [name, description] : scopes) {
        if (scope == name) return description;
    }
    return nullptr;
}

}  // namespace fake_spotify
