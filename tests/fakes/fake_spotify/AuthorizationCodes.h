// Authorization codes handed out by /authorize and redeemed once at POST /api/token, plus the
// PKCE arithmetic (RFC 7636 S256) both sides need.
//
// Like World, the store has no lock of its own: call it with World::mutex() held.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fake_spotify {

// Everything a code stands for; the token endpoint checks the redemption against it.
struct AuthorizationCode {
    std::string client_id;
    std::string redirect_uri;
    std::string user_id;
    std::string scope;
    std::optional<std::string> code_challenge;  // S256; none: the app must prove its secret
    int64_t expires_at_ms = 0;                  // simulated time, see AuthorizationCodes::issue
};

class AuthorizationCodes {
  public:
    // Spotify's codes live for ten minutes.
    static constexpr int64_t kLifetimeMs = 10 * 60 * 1000;

    // A fresh random code valid until now_ms + kLifetimeMs. `now_ms` is the simulated clock, so
    // a test can let a code expire with POST /_control/clock {"advance_ms": 600001}.
    std::string issue(AuthorizationCode code, int64_t now_ms);
    // Removes and returns the code if it exists and has not expired. Single use: whatever the
    // redemption's outcome, a code cannot be presented twice.
    std::optional<AuthorizationCode> take(const std::string& code, int64_t now_ms);
    // The user a live code belongs to, without using it (for the request log and user faults).
    std::optional<std::string> user_of(const std::string& code, int64_t now_ms) const;

  private:
    void forget_expired(int64_t now_ms);

    std::map<std::string, AuthorizationCode> codes_;
};

// base64url without padding (RFC 4648 §5), as PKCE and our codes use it.
std::string base64url_encode(std::string_view bytes);
// BASE64URL(SHA256(verifier)): the S256 code_challenge for a code_verifier.
std::string s256_challenge(std::string_view verifier);
// `bytes` from OpenSSL's CSPRNG, base64url encoded. Codes must not be guessable, unlike the
// fake's access tokens, because a test may exercise exactly that.
std::string random_urlsafe(size_t bytes);
// Equality whose run time does not depend on where the strings first differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace fake_spotify
