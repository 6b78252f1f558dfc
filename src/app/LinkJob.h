// The HTTP half of finishing a link, run on a worker: trade the authorization code (with the PKCE
// verifier) for tokens, then read who the user is. Touches no bridge state.
#pragma once

#include "config/Config.h"
#include "core/PlaybackState.h"
#include "core/Result.h"
#include "core/TokenGrant.h"
#include "ports/HttpClient.h"
#include "ports/TokenStore.h"

namespace s2m {

struct RedeemedCode {
    TokenGrant grant;  // with the refresh token
    UserProfile profile;
};

// The token-store record of a freshly linked account.
AccountRecord linked_record(const RedeemedCode& redeemed, const std::string& name, int64_t now_ms);

Result<RedeemedCode> redeem_code(HttpClient& http, const SpotifyConfig& spotify,
                                 const std::string& code, const std::string& verifier);

}  // namespace s2m
