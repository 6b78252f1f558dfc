// Linking an account: OAuth 2.0 authorization code flow (RFC 6749) with PKCE (RFC 7636, S256) as
// Spotify runs it. Pure: randomness and time are passed in, the HTTP exchange is the adapter's.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/Config.h"
#include "core/Result.h"

namespace s2m {

// The scopes the bridge asks for, each with why it needs it (shown on the page and in
// docs/linking.md).
struct ScopeNeed {
    const char* scope;
    const char* why;
};
const std::vector<ScopeNeed>& requested_scopes();
std::string scope_string();  // space-separated, as /authorize wants

// base64url(SHA-256(verifier)), the S256 code challenge.
std::string pkce_challenge(std::string_view verifier);

// Returns `n` bytes from a cryptographically secure source.
using RandomBytes = std::function<std::string(size_t n)>;

struct PendingAuthorization {
    std::string state;     // the CSRF token Spotify hands back; also the key of this request
    std::string verifier;  // PKCE code verifier; a secret until the code is exchanged
    std::optional<std::string> account;  // the name asked for; none: derived from the user id
    int64_t created_at_ms = 0;
    std::string client_id;  // the app it was started with: only that app can redeem the code
};

// Authorizations started but not yet finished. `state` values are single use and expire after
// 10 minutes; only the newest few are kept so nobody can fill memory by pressing "Link".
class PendingAuthorizations {
  public:
    static constexpr int64_t kLifetimeMs = 10 * 60 * 1000;
    static constexpr size_t kMaxPending = 32;

    explicit PendingAuthorizations(RandomBytes random) : random_(std::move(random)) {}

    PendingAuthorization& begin(std::optional<std::string> account, int64_t now_ms);
    // The request for `state`, forgotten at once (single use); nullopt when unknown or expired.
    std::optional<PendingAuthorization> take(const std::string& state, int64_t now_ms);
    size_t size() const { return pending_.size(); }

  private:
    void forget_expired(int64_t now_ms);

    RandomBytes random_;
    std::map<std::string, PendingAuthorization> pending_;
};

// The address of Spotify's consent page for this request.
std::string authorize_url(const SpotifyConfig& spotify, const PendingAuthorization& pending);

// What Spotify put on the redirect: a code, or an error such as access_denied.
struct CallbackParams {
    std::string state;
    std::string code;
    std::string error;
};

// Accepts what a person pastes: the whole address the browser landed on
// ("http://127.0.0.1:8888/callback?code=…&state=…"), or just its query part.
Result<CallbackParams> parse_callback(std::string_view pasted);

// A sentence for the error Spotify put on the redirect (access_denied and friends).
std::string describe_authorize_error(const std::string& error);

// The default account name for a Spotify user id: lower-case, other characters as '-', ≤ 32.
std::string account_name_for_user(std::string_view user_id);

// Who holds a name already: the account name and the Spotify user id it was linked with.
struct LinkedName {
    std::string name;
    std::optional<std::string> user_id;
};

// The name a newly authorised user gets: the requested one, else the one this user already has,
// else one derived from the user id (checked like a typed name; `bridge` becomes
// `spotify-bridge`). Refused: a name held by a different Spotify user, and a second name for a
// user already linked (the sentence names the existing account).
Result<std::string> choose_account_name(const std::optional<std::string>& requested,
                                        const std::string& user_id,
                                        const std::vector<LinkedName>& existing);

}  // namespace s2m
