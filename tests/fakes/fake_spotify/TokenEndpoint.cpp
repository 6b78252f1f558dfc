#include "TokenEndpoint.h"

#include <mutex>

namespace fake_spotify {

json token_response(const TokenGrant& grant) {
    json body = {{"access_token", grant.access_token},
                 {"token_type", "Bearer"},
                 {"expires_in", grant.expires_in},
                 {"scope", grant.scope}};
    if (grant.refresh_token) body["refresh_token"] = *grant.refresh_token;
    return body;
}

AccountsService::AccountsService(World& world) : world_(world) {
    add_grant("refresh_token", [this](const Params& form, const TokenClient& client) {
        return refresh_token_grant(form, client);
    });
}

void AccountsService::register_routes(Router& router) {
    router.add("POST", "/api/token", [this](Call& call) { token(call); });
}

void AccountsService::add_grant(const std::string& grant_type, Grant grant, bool secret_optional) {
    grants_[grant_type] = GrantEntry{std::move(grant), secret_optional};
}

void AccountsService::token(Call& call) {
    call.res.set_header("Cache-Control", "no-store");
    try {
        // Spotify only reads form bodies here; anything else looks like missing parameters.
        Params form;
        if (call.req.get_header_value("Content-Type")
                .starts_with("application/x-www-form-urlencoded")) {
            form = parse_urlencoded(call.req.body);
        }
        std::lock_guard lock(world_.mutex());
        TokenClient client = authenticate_client(call, form);
        call.client_id = client.app.id;
        auto grant_type = form.find("grant_type");
        bool has_type = grant_type != form.end() && !grant_type->second.empty();
        auto grant = has_type ? grants_.find(grant_type->second) : grants_.end();
        // A confidential client must prove itself (a public client has nothing to prove), and
        // that is checked before the grant type, as it always was.
        if (client.app.secret && !client.secret_verified &&
            (grant == grants_.end() || !grant->second.secret_optional)) {
            throw OAuthError(400, "invalid_client", "Invalid client secret");
        }
        if (!has_type) throw OAuthError(400, "invalid_request", "grant_type parameter is missing");
        if (grant == grants_.end()) {
            throw OAuthError(400, "unsupported_grant_type", "grant_type parameter is invalid");
        }
        send_json(call.res, 200, grant->second.grant(form, client));
    } catch (const OAuthError& e) {
        send_json(call.res, e.status, {{"error", e.error}, {"error_description", e.description}});
    }
}

TokenClient AccountsService::authenticate_client(const Call& call, const Params& form) const {
    std::string id;
    std::optional<std::string> secret;
    std::string authorization = call.req.get_header_value("Authorization");
    if (!authorization.empty()) {
        if (!authorization.starts_with("Basic ")) {
            throw OAuthError(400, "invalid_client", "Invalid client");
        }
        auto decoded = base64_decode(authorization.substr(6));
        auto colon = decoded ? decoded->find(':') : std::string::npos;
        if (colon == std::string::npos) throw OAuthError(400, "invalid_client", "Invalid client");
        id = decoded->substr(0, colon);
        secret = decoded->substr(colon + 1);
    } else {
        auto it = form.find("client_id");
        if (it == form.end() || it->second.empty()) {
            throw OAuthError(400, "invalid_client", "Invalid client");
        }
        id = it->second;
        if (auto s = form.find("client_secret"); s != form.end()) secret = s->second;
    }
    const ClientApp* client = world_.client(id);
    if (!client) throw OAuthError(400, "invalid_client", "Invalid client");
    if (client->secret && secret && secret != client->secret) {
        throw OAuthError(400, "invalid_client", "Invalid client secret");
    }
    return TokenClient{*client, client->secret.has_value() && secret.has_value()};
}

json AccountsService::refresh_token_grant(const Params& form, const TokenClient& client) {
    auto it = form.find("refresh_token");
    if (it == form.end() || it->second.empty()) {
        throw OAuthError(400, "invalid_request", "refresh_token must be supplied");
    }
    auto grant = world_.refresh(it->second, client.app.id);
    if (!grant) throw OAuthError(400, "invalid_grant", "Invalid refresh token");
    return token_response(*grant);
}

}  // namespace fake_spotify
