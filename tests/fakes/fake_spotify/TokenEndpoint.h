// The accounts service (accounts.spotify.com): POST /api/token.
//
// Grant types are looked up in a table so the authorisation-code flow (and /authorize, which
// registers its own route in register_routes) can be added without touching the refresh path.
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

class AccountsService {
  public:
    // Called with World::mutex() held and the client already authenticated; returns the token
    // response body or throws OAuthError.
    using Grant = std::function<json(const Params& form, const ClientApp& client)>;

    explicit AccountsService(World& world);
    void register_routes(Router& router);
    void add_grant(const std::string& grant_type, Grant grant);

  private:
    void token(Call& call);
    // Basic credentials, else client_id (+ client_secret) in the form; public clients need none.
    const ClientApp& authenticate_client(const Call& call, const Params& form) const;
    json refresh_token_grant(const Params& form, const ClientApp& client);

    World& world_;
    std::map<std::string, Grant> grants_;
};

json token_response(const TokenGrant& grant);

}  // namespace fake_spotify
