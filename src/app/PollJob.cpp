#include "app/PollJob.h"

#include "adapters/spotify/SpotifyClient.h"
#include "core/SpotifyJson.h"

namespace s2m {

namespace {

class PollRun {
  public:
    PollRun(HttpClient& http, const PollRequest& request, const std::function<int64_t()>& now_ms)
        : http_(http), request_(request), now_ms_(now_ms), access_token_(request.access_token) {}

    PollOutcome run() {
        bool expiring =
            access_token_.empty() || request_.access_expires_at_ms - now_ms_() < kRefreshAheadMs;
        if (expiring && !refresh()) return std::move(outcome_);

        if (request_.want_profile) {
            outcome_.profile = call<UserProfile>([](WebApi& api) { return api.me(); });
            if (stop_after(*outcome_.profile)) return std::move(outcome_);
        }
        outcome_.player =
            call<PlaybackState>([this](WebApi& api) { return api.player(now_ms_()); });
        // Without the player state the other reads are not worth their share of the rate limit.
        if (!outcome_.player->ok()) return std::move(outcome_);
        fetch_context_name(outcome_.player->value());
        if (request_.want_devices) {
            outcome_.devices = call<std::vector<Device>>([](WebApi& api) { return api.devices(); });
            if (stop_after(*outcome_.devices)) return std::move(outcome_);
        }
        if (request_.want_playlists) {
            outcome_.playlists =
                call<std::vector<Playlist>>([](WebApi& api) { return api.playlists(); });
        }
        return std::move(outcome_);
    }

  private:
    bool refresh() {
        auto grant = refresh_access_token(http_, request_.spotify, refresh_token());
        if (!grant) {
            outcome_.auth_error = grant.error();
            return false;
        }
        access_token_ = grant->access_token;
        outcome_.grant = grant.value();
        outcome_.grant_received_at_ms = now_ms_();
        return true;
    }

    // The newest refresh token: a rotated one from this run's grant wins.
    const std::string& refresh_token() const {
        if (outcome_.grant && outcome_.grant->refresh_token) return *outcome_.grant->refresh_token;
        return request_.refresh_token;
    }

    // Calls the API; on a 401 refreshes the access token once and tries again.
    template <typename T, typename Call>
    Result<T> call(Call fn) {
        WebApi api(http_, request_.spotify.api_url, access_token_, request_.timeout_ms);
        Result<T> result = fn(api);
        if (result.ok() || result.error().kind != ErrorKind::Unauthorized || refreshed_after_401_) {
            return result;
        }
        refreshed_after_401_ = true;
        if (!refresh()) return *outcome_.auth_error;
        WebApi fresh(http_, request_.spotify.api_url, access_token_, request_.timeout_ms);
        return fn(fresh);
    }

    // A rate limit or a dead token ends the run: further calls would only make it worse.
    template <typename T>
    bool stop_after(const Result<T>& result) const {
        if (result.ok()) return false;
        auto kind = result.error().kind;
        return kind == ErrorKind::RateLimited || kind == ErrorKind::InvalidGrant ||
               kind == ErrorKind::Unauthorized || outcome_.auth_error.has_value();
    }

    void fetch_context_name(const PlaybackState& state) {
        if (!state.context || state.context->name) return;
        const std::string& uri = state.context->uri;
        if (request_.known_context_names.count(uri)) return;
        auto path = context_object_path(uri);
        if (!path) return;
        auto name = call<std::string>([&](WebApi& api) { return api.object_name(*path); });
        // A context we may not read (e.g. someone else's private playlist) simply has no name.
        outcome_.context_name = std::make_pair(uri, name.ok() ? name.value() : std::string());
    }

    HttpClient& http_;
    const PollRequest& request_;
    const std::function<int64_t()>& now_ms_;
    std::string access_token_;
    bool refreshed_after_401_ = false;
    PollOutcome outcome_;
};

}  // namespace

PollOutcome run_poll(HttpClient& http, const PollRequest& request,
                     const std::function<int64_t()>& now_ms) {
    return PollRun(http, request, now_ms).run();
}

}  // namespace s2m
