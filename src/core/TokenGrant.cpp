#include "core/TokenGrant.h"

#include <algorithm>

#include "core/Encoding.h"
#include "core/JsonFields.h"

namespace s2m {

bool is_token_text(std::string_view text) {
    if (text.empty() || text.size() > kMaxTokenBytes) return false;
    auto is_token_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    };
    size_t i = 0;
    while (i < text.size() && is_token_char(text[i])) ++i;
    if (i == 0) return false;
    while (i < text.size() && text[i] == '=') ++i;
    return i == text.size();
}

namespace {
// A rotation only when it is one: anything else keeps the refresh token that works.
std::optional<std::string> usable_refresh_token(const Json& root) {
    auto it = root.find("refresh_token");
    if (it == root.end() || !it->is_string()) return std::nullopt;
    const std::string& token = it->get_ref<const std::string&>();
    if (!is_token_text(token)) return std::nullopt;
    return token;
}

// expires_in as given when it is sensible, else Spotify's usual hour. A lifetime shorter than the
// bridge renews ahead of expiry (2 minutes) would send a refresh before every call; a token that
// dies earlier than announced still gets a 401 and one refresh. Spotify never issues past a day.
int64_t usable_lifetime_s(const Json& root) {
    constexpr int64_t kUsual = 3600, kShortest = 300, kLongest = 24 * 3600;
    auto it = root.find("expires_in");
    if (it == root.end() || !it->is_number()) return kUsual;
    double seconds = it->get<double>();
    if (!(seconds > 0)) return kUsual;
    return std::clamp<int64_t>(static_cast<int64_t>(std::min(seconds, 1e9)), kShortest, kLongest);
}
}  // namespace

Result<TokenGrant> parse_token_response(int http_status, std::string_view body,
                                        std::optional<int> retry_after_s) {
    Json root = Json::parse(body, nullptr, false);
    bool is_object = !root.is_discarded() && root.is_object();
    if (http_status == 200) {
        if (!is_object) {
            return Error{ErrorKind::BadResponse,
                         "the token endpoint answered with something that is not JSON"};
        }
        try {
            TokenGrant grant;
            grant.access_token = opt_string(root, "access_token", "").value_or("");
            if (grant.access_token.empty()) throw FieldError("access_token: missing");
            if (!is_token_text(grant.access_token)) {
                grant.access_token.clear();  // never used, never quoted
                throw FieldError(
                    "access_token: holds characters no token may contain (such as a line break) "
                    "or is too long; it was not used");
            }
            grant.expires_in_s = usable_lifetime_s(root);
            grant.refresh_token = usable_refresh_token(root);
            if (auto it = root.find("scope"); it != root.end() && it->is_string())
                grant.scope = it->get<std::string>();
            return grant;
        } catch (const FieldError& e) {
            return Error{ErrorKind::BadResponse,
                         std::string("the token endpoint's answer is malformed: ") + e.what()};
        }
    }
    Error error;
    error.http_status = http_status;
    error.retry_after_s = retry_after_s;
    std::string code;
    if (is_object) {
        if (auto it = root.find("error"); it != root.end() && it->is_string())
            code = untrusted_excerpt(it->get_ref<const std::string&>(), 64);
    }
    if (http_status == 429) {
        error.kind = ErrorKind::RateLimited;
        error.message = "the token endpoint is rate limiting this app";
    } else if (code == "invalid_grant" || (http_status == 400 && code == "invalid_request")) {
        // invalid_request: the refresh token we hold is not one Spotify can read (empty or
        // damaged). Asking again never helps; only a new link does.
        error.kind = ErrorKind::InvalidGrant;
        error.reason = "REAUTH_REQUIRED";
        error.message = "Spotify no longer accepts this account's refresh token (" + code +
                        "); link the account again";
    } else if (code == "invalid_client") {
        error.kind = ErrorKind::Http;
        error.reason = "INVALID_CLIENT";
        error.message =
            "Spotify refused the app's credentials (invalid_client); check "
            "spotify.client_id and spotify.client_secret";
    } else {
        error.kind = ErrorKind::Http;
        error.message = "the token endpoint answered HTTP " + std::to_string(http_status) +
                        (code.empty() ? "" : " (" + code + ")");
    }
    return error;
}

}  // namespace s2m
