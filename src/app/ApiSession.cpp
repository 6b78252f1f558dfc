#include "app/ApiSession.h"

#include <chrono>
#include <random>
#include <thread>

namespace s2m {

int64_t RetryPolicy::delay_ms(int attempt) const {
    double factor = 1.0;
    if (jitter) {
        factor = jitter();
    } else {
        static thread_local std::mt19937 random{std::random_device{}()};
        factor = std::uniform_real_distribution<double>(0.5, 1.5)(random);
    }
    int64_t base = base_delay_ms << std::clamp(attempt - 2, 0, 10);
    return static_cast<int64_t>(static_cast<double>(base) * factor);
}

void ApiSession::pause(int64_t ms) {
    if (retry_.sleep) {
        retry_.sleep(ms);
    } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
}

ApiSession::ApiSession(HttpClient& http, const JobRequest& request,
                       const std::function<int64_t()>& now_ms)
    : http_(http),
      spotify_(request.spotify),
      token_(request.token),
      now_ms_(now_ms),
      timeout_ms_(request.timeout_ms),
      original_refresh_token_(token_.refresh_token),
      window_(request.rate_window) {}

SessionResult ApiSession::result() const {
    SessionResult result;
    result.grant = grant_;
    result.grant_received_at_ms = grant_received_at_ms_;
    result.refresh_deferred = refresh_deferred_;
    if (!refresh_deferred_) result.auth_error = auth_error_;
    return result;
}

bool ApiSession::ensure_fresh_token() {
    // A stored access token that is not token text (a hand-edited or damaged file) is never put
    // into a header: renew it instead.
    bool expiring = !is_token_text(token_.access_token) ||
                    token_.access_expires_at_ms - now_ms_() < kRefreshAheadMs;
    return !expiring || refresh();
}

std::optional<Error> ApiSession::refused_by_gate() const {
    if (!window_) return std::nullopt;
    int64_t now = now_ms_();
    int64_t until = window_->closed_until_ms();
    if (now >= until) return std::nullopt;
    return gate_refusal(now, until);
}

void ApiSession::note_rate_limit(const Error& error) {
    // A refusal of our own is not news; a 429 from Spotify stops the app's other jobs now,
    // not only once the loop has heard of it.
    if (!window_ || error.kind != ErrorKind::RateLimited || is_gate_refusal(error)) return;
    window_->close_until(now_ms_() + rate_limit_window_ms(error));
}

bool ApiSession::refresh() {
    // The token endpoint counts as a request of the app too.
    if (auto refusal = refused_by_gate()) {
        auth_error_ = *refusal;
        return false;
    }
    if (!token_.may_refresh) {
        refresh_deferred_ = true;
        auth_error_ = Error{ErrorKind::Unauthorized,
                            "the access token needs renewing and another request is renewing it"};
        return false;
    }
    if (!is_token_text(token_.refresh_token)) {
        // Spotify would answer 400 every time: say what helps at once.
        auth_error_ = Error{ErrorKind::InvalidGrant,
                            "the stored refresh token is empty or damaged; link the account again"};
        auth_error_->reason = "REAUTH_REQUIRED";
        return false;
    }
    auto grant = refresh_access_token(http_, spotify_, token_.refresh_token);
    if (!grant) {
        note_rate_limit(grant.error());
        auth_error_ = grant.error();
        return false;
    }
    token_.access_token = grant->access_token;
    // A rotated refresh token from this grant is the one to use from now on.
    if (grant->refresh_token) token_.refresh_token = *grant->refresh_token;
    grant_ = grant.value();
    // Keep a rotation from an earlier refresh of this job even if this grant did not rotate.
    if (token_.refresh_token != original_refresh_token_)
        grant_->refresh_token = token_.refresh_token;
    grant_received_at_ms_ = now_ms_();
    return true;
}

}  // namespace s2m
