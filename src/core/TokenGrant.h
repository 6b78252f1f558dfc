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

// Whether `text` can be a token: RFC 6750's b64token (letters, digits, - . _ ~ + / then '='
// padding), non-empty and at most kMaxTokenBytes. Tokens go into an HTTP header and a file; a
// line break or a control character in one would write headers of its own.
inline constexpr size_t kMaxTokenBytes = 2048;
bool is_token_text(std::string_view text);

// 200 → the grant: an access_token that is not token text makes the answer malformed (it is
// never used), a refresh_token that is empty, not a string or not token text counts as absent
// (the current one stays in use). 400 invalid_grant or invalid_request → InvalidGrant (the user
// must link again); other answers → an Error whose message names the problem without repeating
// any secret.
Result<TokenGrant> parse_token_response(int http_status, std::string_view body,
                                        std::optional<int> retry_after_s);

}  // namespace s2m
