// Answers of the accounts service's token endpoint (POST /api/token).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/Result.h"

namespace s2m {

struct TokenGrant {
    std::string access_token;
    int64_t expires_in_s = 3600;
    std::optional<std::string> refresh_token;  // present when Spotify rotates it: keep the newest
    std::string scope;
};

// 200 → the grant; 400 invalid_grant → InvalidGrant (the user must link again); other answers →
// an Error whose message names the problem without repeating any secret.
Result<TokenGrant> parse_token_response(int http_status, std::string_view body,
                                        std::optional<int> retry_after_s);

}  // namespace s2m
