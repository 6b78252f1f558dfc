// Port: where linked accounts and their tokens live (adapters/store/FileTokenStore).
// Tokens are secrets: implementations write atomically, 0600, and never log them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/Result.h"

namespace s2m {

// Spotify refresh tokens stop working about 6 months after the user authorised the app.
inline constexpr int64_t kRefreshTokenLifetimeMs = 182LL * 24 * 3600 * 1000;

struct AccountRecord {
    std::string name;  // slug, as in topics
    std::string refresh_token;
    std::string access_token;
    int64_t access_expires_at_ms = 0;  // Unix ms
    int64_t linked_at_ms = 0;          // when the refresh token was authorised (6-month expiry)
    // The scopes Spotify granted, space-separated, from the newest token answer that had them
    // (a renewal without "scope" keeps these). Empty in records from before scopes were
    // recorded, or seeded and not yet renewed: read as the pre-2026-12 list (core/Scopes.h).
    std::string scope;
    std::optional<std::string> user_id;
    std::optional<std::string> display_name;
    std::optional<bool> premium;
    // The Spotify app (client id) the refresh token was issued to: only that app can renew it.
    // Absent in files written before it was recorded: taken to be the app in use.
    std::optional<std::string> client_id;
};

class TokenStore {
  public:
    virtual ~TokenStore() = default;
    virtual std::vector<AccountRecord> load_all() = 0;
    virtual std::optional<AccountRecord> load(const std::string& name) = 0;
    virtual Status save(const AccountRecord& record) = 0;
    virtual Status remove(const std::string& name) = 0;
};

}  // namespace s2m
