#include "app/PollJob.h"

#include "spotify/Endpoints.h"

namespace s2m {

namespace {

class PollRun {
  public:
    PollRun(HttpClient& http, const PollRequest& request, const std::function<int64_t()>& now_ms)
        : request_(request), session_(http, request, now_ms) {
        session_.set_retry(request.retry);
    }

    PollOutcome run() {
        if (!session_.ensure_fresh_token()) return finish();
        if (request_.want_profile) {
            outcome_.profile = session_.read<UserProfile>([](WebApi& api) { return api.me(); });
            if (stop_after(*outcome_.profile)) return finish();
        }
        outcome_.player = session_.read<PlaybackState>(
            [this](WebApi& api) { return api.player(session_.now()); });
        // Without the player state the other reads are not worth their share of the rate limit.
        if (!outcome_.player->ok()) return finish();
        fetch_context_name(outcome_.player->value());
        if (request_.want_devices) {
            outcome_.devices =
                session_.read<std::vector<Device>>([](WebApi& api) { return api.devices(); });
            if (stop_after(*outcome_.devices)) return finish();
        }
        if (request_.want_playlists) {
            outcome_.playlists =
                session_.read<std::vector<Playlist>>([](WebApi& api) { return api.playlists(); });
        }
        return finish();
    }

  private:
    PollOutcome finish() {
        static_cast<SessionResult&>(outcome_) = session_.result();
        return std::move(outcome_);
    }

    // A rate limit or a dead token ends the run: further calls would only make it worse.
    template <typename T>
    bool stop_after(const Result<T>& result) const {
        if (result.ok()) return false;
        auto kind = result.error().kind;
        return kind == ErrorKind::RateLimited || kind == ErrorKind::InvalidGrant ||
               kind == ErrorKind::Unauthorized || session_.auth_error().has_value();
    }

    void fetch_context_name(const PlaybackState& state) {
        if (!state.context || state.context->name) return;
        const std::string& uri = state.context->uri;
        if (request_.known_context_names.count(uri)) return;
        auto request = endpoint::get_context(uri);
        if (!request) return;
        auto name =
            session_.read<std::string>([&](WebApi& api) { return api.object_name(*request); });
        // A context we may not read (e.g. someone else's private playlist) simply has no name.
        outcome_.context_name = std::make_pair(uri, name.ok() ? name.value() : std::string());
    }

    const PollRequest& request_;
    ApiSession session_;
    PollOutcome outcome_;
};

}  // namespace

PollOutcome run_poll(HttpClient& http, const PollRequest& request,
                     const std::function<int64_t()>& now_ms) {
    return PollRun(http, request, now_ms).run();
}

}  // namespace s2m
