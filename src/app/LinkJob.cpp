#include "app/LinkJob.h"

#include "spotify/WebApi.h"

namespace s2m {

namespace {
constexpr long kTimeoutMs = 10000;
}

AccountRecord linked_record(const RedeemedCode& redeemed, const std::string& name, int64_t now_ms) {
    AccountRecord record;
    record.name = name;
    record.refresh_token = redeemed.grant.refresh_token.value_or("");
    record.access_token = redeemed.grant.access_token;
    record.access_expires_at_ms = now_ms + redeemed.grant.expires_in_s * 1000;
    record.linked_at_ms = now_ms;
    record.scope = redeemed.grant.scope;
    record.user_id = redeemed.profile.id;
    record.display_name = redeemed.profile.display_name;
    record.premium = redeemed.profile.premium;
    return record;
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
