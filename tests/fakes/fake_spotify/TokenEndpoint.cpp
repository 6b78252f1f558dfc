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
    add_grant("refresh_token", [this](const Params& form, const ClientApp& client) {
        return refresh_token_grant(form, client);
    });
}

void AccountsService::register_routes(Router& router) {
    router.add("POST", "/api/token", [this](Call& call) { token(call); });
}

void AccountsService::add_grant(const std::string& grant_type, Grant grant) {
    grants_[grant_type] = std::move(grant);
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
        const ClientApp& client = authenticate_client(call, form);
        call.client_id = client.id;
        auto grant_type = form.find("grant_type");
        if (grant_type == form.end() || grant_type->second.empty()) {
            throw OAuthError(400, "invalid_request", "grant_type parameter is missing");
        }
        auto grant = grants_.find(grant_type->second);
        if (grant == grants_.end()) {
            throw OAuthError(400, "unsupported_grant_type", "grant_type parameter is invalid");
        }
        send_json(call.res, 200, grant->second(form, client));
    } catch (const OAuthError& e) {
        send_json(call.res, e.status, {{"error", e.error}, {"error_description", e.description}});
    }
}

const ClientApp& AccountsService::authenticate_client(const Call& call, const Params& form) const {
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
    // A confidential client must prove itself; a public (PKCE) client has nothing to prove.
    if (client->secret && secret != client->secret) {
        throw OAuthError(400, "invalid_client", "Invalid client secret");
    }
    return *client;
}

json AccountsService::refresh_token_grant(const Params& form, const ClientApp& client) {
    auto it = form.find("refresh_token");
    if (it == form.end() || it->second.empty()) {
        throw OAuthError(400, "invalid_request", "refresh_token must be supplied");
    }
    auto grant = world_.refresh(it->second, client.id);
    if (!grant) throw OAuthError(400, "invalid_grant", "Invalid refresh token");
    return token_response(*grant);
}

}  // namespace fake_spotify
