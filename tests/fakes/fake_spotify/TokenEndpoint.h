// The accounts service (accounts.spotify.com): POST /api/token.
//
// Grant types are looked up in a table so that other flows plug in without touching the refresh
// path: AuthorizeService (GET /authorize and its consent page) adds authorization_code.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "Http.h"
#include "World.h"

namespace fake_spotify {

// OAuth errors have their own shape: {"error":"invalid_grant","error_description":"…"}.
struct OAuthError : std::runtime_error {
    OAuthError(int status_, std::string error_, std::string description_)
        : std::runtime_error(description_),
          status(status_),
          error(std::move(error_)),
          description(std::move(description_)) {}
    int status;
    std::string error;
    std::string description;
};

// The app behind a token request. A secret that is given but wrong never gets this far; a
// confidential app that gives none reaches only grants added with secret_optional (PKCE).
struct TokenClient {
    const ClientApp& app;
    bool secret_verified = false;  // it sent the app's secret (Basic or client_secret)
};

class AccountsService {
  public:
    // Called with World::mutex() held and the client identified; returns the token response
    // body or throws OAuthError.
    using Grant = std::function<json(const Params& form, const TokenClient& client)>;

    explicit AccountsService(World& world);
    void register_routes(Router& router);
    // secret_optional: a confidential app may leave out its secret, because the grant has its
    // own proof (Spotify lets any app redeem a PKCE code with client_id and code_verifier).
    void add_grant(const std::string& grant_type, Grant grant, bool secret_optional = false);

  private:
    void token(Call& call);
    // Basic credentials, else client_id (+ client_secret) in the form.
    TokenClient authenticate_client(const Call& call, const Params& form) const;
    json refresh_token_grant(const Params& form, const TokenClient& client);

    World& world_;
    struct GrantEntry {
        Grant grant;
        bool secret_optional = false;
    };
    std::map<std::string, GrantEntry> grants_;
};

json token_response(const TokenGrant& grant);

}  // namespace fake_spotify
