// The authorization code flow (with or without PKCE) of the accounts service:
//
//   GET  /authorize            checks the request (AuthorizeRequest.h); an error page (400) while
//                              client or redirect URI are not trusted, else a 302 back to the app
//                              with error=…, else the login/consent page (AuthorizePage.h)
//   POST /authorize/decision   the page's form: decision=agree -> 303 to
//                              redirect_uri?code=…[&state=…]; decision=cancel -> 303 to
//                              redirect_uri?error=access_denied[&state=…]
//   POST /_control/authorize   test shortcut past the page (JSON, see below)
//   POST /api/token            grant_type=authorization_code (added to AccountsService)
#pragma once

#include <optional>
#include <string>

#include "AuthorizationCodes.h"
#include "AuthorizeRequest.h"
#include "Http.h"
#include "TokenEndpoint.h"
#include "World.h"

namespace fake_spotify {

class AuthorizeService {
  public:
    AuthorizeService(World& world, AccountsService& accounts);
    void register_routes(Router& router);

    // The user a live code was issued for; with World::mutex() held.
    std::optional<std::string> user_of_code(const std::string& code) const;

  private:
    void authorize_page(Call& call);
    void decision(Call& call);
    // {"user","client_id","redirect_uri", "state"?, "scope"? (default: the user's current
    // scope), "code_challenge"?, "code_challenge_method"? (default S256 with a challenge)}
    // -> {"code","location"}; refusals are 400 {"error":{"message":…}}, an unknown user 404.
    void control_authorize(Call& call);
    // Checks run in Spotify's order; the code is used up by the first attempt that names it.
    json authorization_code_grant(const Params& form, const TokenClient& client);
    std::string issue_code(const AuthorizeRequest& request, const User& user);

    World& world_;
    AuthorizationCodes codes_;
};

}  // namespace fake_spotify
