#include "app/LinkJob.h"

#include "adapters/spotify/SpotifyClient.h"

namespace s2m {

namespace {
constexpr long kTimeoutMs = 10000;
}

Result<RedeemedCode> redeem_code(HttpClient& http, const SpotifyConfig& spotify,
                                 const std::string& code, const std::string& verifier) {
    auto grant = exchange_authorization_code(http, spotify, code, verifier);
    if (!grant) {
        Error error = grant.error();
        // For a code, invalid_grant means used, expired or issued for another redirect URI —
        // not a dead refresh token.
        if (error.kind == ErrorKind::InvalidGrant) {
            error.kind = ErrorKind::Http;
            error.message =
                "Spotify did not accept the authorization code (already used, expired, or "
                "issued for another redirect URI); start the link again";
        }
        return error;
    }
    if (!grant->refresh_token || grant->refresh_token->empty()) {
        return Error{ErrorKind::BadResponse, "Spotify's token answer has no refresh_token"};
    }
    WebApi api(http, spotify.api_url, grant->access_token, kTimeoutMs);
    auto profile = api.me();
    if (!profile) return profile.error();
    return RedeemedCode{grant.value(), profile.value()};
}

}  // namespace s2m
