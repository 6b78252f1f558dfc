// Small encoders for HTTP: percent-encoding, form bodies, Base64. Pure and allocation-light.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace s2m {

// RFC 3986 unreserved characters stay, everything else becomes %XX.
std::string url_encode(std::string_view text);
// application/x-www-form-urlencoded body from ordered pairs.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);
// Undoes %XX (and '+' as space, as in form bodies); nullopt for a broken escape.
std::optional<std::string> url_decode(std::string_view text);
// "a=1&b=x%20y" → ordered pairs, decoded; nullopt when an escape is broken.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view query);
std::string base64_encode(std::string_view bytes);
// Base64 with the URL alphabet and no padding (RFC 4648 §5), as PKCE wants.
std::string base64url_encode(std::string_view bytes);

// The parts of `text` between `separator`s, empty ones included: "a//b" → a, "", b; "" → one
// empty part. The views point into `text`.
std::vector<std::string_view> split(std::string_view text, char separator);
// A-Z → a-z; every other byte (UTF-8 included) unchanged. Locale-independent.
std::string ascii_lowercase(std::string_view text);
// `text` without leading and trailing ASCII whitespace (space, \t, \n, \r, \f, \v).
std::string_view trim(std::string_view text);
// a == b, with A-Z and a-z taken as the same (HTTP header names, environment variable names).
bool equal_ignoring_ascii_case(std::string_view a, std::string_view b);
// `text` itself when it has at most `max_bytes`; else its first bytes, cut back to a UTF-8 code
// point boundary, followed by "…". For quoting untrusted text in messages.
std::string utf8_prefix(std::string_view text, size_t max_bytes);
// `text` with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD, so text
// quoted from untrusted input can always be logged and put into JSON.
std::string valid_utf8(std::string_view text);

// How much text from outside (an MQTT payload, a device name, a message from Spotify) a log line
// or a retained topic quotes: enough to recognise it, never enough to flood either.
inline constexpr size_t kQuotedBytes = 300;
// `text` made safe to write on one log line: invalid UTF-8 becomes U+FFFD and every control
// character (C0, DEL and C1, which terminals act on) is written as an escape (\n, \r, \t, \xNN,
// \u0085), so nobody can start a forged line, move the cursor or cut the line with a NUL.
std::string escape_control_characters(std::string_view text);
// The one helper for quoting outside text in logs and published messages: escaped as above, then
// at most max_bytes cut on a code point (never inside an escape), followed by "…" when cut.
std::string untrusted_excerpt(std::string_view text, size_t max_bytes = kQuotedBytes);

}  // namespace s2m
