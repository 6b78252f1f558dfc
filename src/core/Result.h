// One error style for everything that can fail at run time: Result<T> holds a value or an Error.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace s2m {

enum class ErrorKind {
    Network,       // no answer: connection refused, timeout, DNS
    Http,          // Spotify answered with an error status
    RateLimited,   // 429; retry_after_s says for how long
    Unauthorized,  // 401: the access token is no longer accepted
    BadResponse,   // the answer could not be understood (not JSON, wrong types, too big)
    InvalidGrant,  // the refresh token is dead: the user must link again
    NotLinked,     // no token for this account
    Refused,   // a user mistake, or nothing to act on: `reason` says which (e.g. INVALID_PAYLOAD)
    Internal,  // the bridge's own failure (a file it cannot write, a thread that threw)
};

const char* to_string(ErrorKind kind);

struct Error {
    ErrorKind kind = ErrorKind::Internal;
    std::string message;               // a sentence for a person; never contains secrets
    int http_status = 0;               // when Spotify answered
    std::string reason;                // Spotify's error.reason (e.g. NO_ACTIVE_DEVICE), if any
    std::optional<int> retry_after_s;  // with RateLimited

    bool transient() const {
        return kind == ErrorKind::Network || (kind == ErrorKind::Http && http_status >= 500);
    }
};

template <typename T>
class Result {
  public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(v_); }
    T value_or(T fallback) const { return ok() ? value() : std::move(fallback); }

  private:
    std::variant<T, Error> v_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() {
    return Unit{};
}

}  // namespace s2m
