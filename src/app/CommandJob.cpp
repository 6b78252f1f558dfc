#include "app/CommandJob.h"

#include "spotify/SpotifyJson.h"

namespace s2m {

namespace {

// An add reads at most this many pages of 50 item URIs (1000 items) to tell a duplicate.
constexpr int kDuplicateCheckPages = 20;

class CommandRun {
  public:
    CommandRun(HttpClient& http, const CommandRequest& request,
               const std::function<int64_t()>& now_ms)
        : request_(request), known_(request.known), session_(http, request, now_ms) {}

    CommandOutcome run() {
        if (!session_.ensure_fresh_token()) return finish();
        // Each refresh kind at most once; the planner never asks twice for the same one.
        for (int round = 0; round < 5; ++round) {
            PlanOutcome planned = plan_commands(request_.commands, known_);
            if (auto* refresh = std::get_if<Refresh>(&planned)) {
                if (!fetch(*refresh)) return finish();
                continue;
            }
            if (auto* error = std::get_if<CommandError>(&planned)) {
                outcome_.error = *error;
                return finish();
            }
            execute(std::get<CommandPlan>(planned));
            return finish();
        }
        outcome_.error =
            CommandError{reason::kSpotifyError, "internal error: the command could not be planned"};
        return finish();
    }

  private:
    bool fetch(Refresh what) {
        switch (what) {
            case Refresh::State: {
                if (known_.fresh_state) break;
                auto state = session_.call<PlaybackState>(
                    [this](WebApi& api) { return api.player(session_.now()); });
                if (!state) return failed(state.error(), "read the playback state");
                known_.state = outcome_.state = state.value();
                known_.fresh_state = true;
                return true;
            }
            case Refresh::Devices: {
                if (known_.fresh_devices) break;
                auto devices =
                    session_.call<std::vector<Device>>([](WebApi& api) { return api.devices(); });
                if (!devices) return failed(devices.error(), "list the devices");
                known_.devices = outcome_.devices = devices.value();
                known_.fresh_devices = true;
                return true;
            }
            case Refresh::Playlists: {
                if (known_.fresh_playlists) break;
                auto playlists = session_.call<std::vector<Playlist>>(
                    [](WebApi& api) { return api.playlists(); });
                if (!playlists) return failed(playlists.error(), "list the playlists");
                known_.playlists = outcome_.playlists = playlists.value();
                known_.fresh_playlists = true;
                return true;
            }
            case Refresh::Profile: {
                if (known_.user_id) break;
                auto profile = session_.call<UserProfile>([](WebApi& api) { return api.me(); });
                if (!profile) return failed(profile.error(), "read the account's profile");
                outcome_.profile = profile.value();
                known_.user_id = profile->id;
                return true;
            }
            case Refresh::Search: {
                const auto& play = request_.commands.play;
                if (known_.search_results || !play || !play->search) break;
                SearchQuery query = name_search_query(*play->search);
                auto found =
                    session_.call<SearchResults>([&](WebApi& api) { return api.search(query); });
                if (!found) return failed(found.error(), endpoint::search(query).action);
                known_.search_results = std::move(found.value());
                return true;
            }
        }
        outcome_.error =
            CommandError{reason::kSpotifyError, "internal error: planning asked twice for data"};
        return false;
    }

    void execute(CommandPlan plan) {
        if (plan.duplicate_check && !check_duplicate(plan)) return;
        std::vector<std::string> done;
        for (size_t i = 0; i < plan.calls.size(); ++i) {
            const ApiCall& call = plan.calls[i];
            if (outcome_.first_call_at_ms == 0) outcome_.first_call_at_ms = session_.now();
            auto answer = session_.call<HttpResponse>([&](WebApi& api) { return api.send(call); });
            if (!answer) {
                failed(answer.error(), call.action, done);
                break;
            }
            done.push_back(call.action);
            ++outcome_.calls_made;
            if (plan.creating_call == i) created(answer->body, plan);
        }
        outcome_.plan = std::move(plan);
    }

    // Spotify adds a duplicate without a word; the response says so (data.already_there, null
    // when the playlist is too long to read for one button press). See docs/mqtt-commands.md.
    bool check_duplicate(CommandPlan& plan) {
        const auto& check = *plan.duplicate_check;
        auto there = session_.call<std::optional<bool>>([&](WebApi& api) {
            return api.playlist_contains(check.playlist_id, check.item_uri, kDuplicateCheckPages);
        });
        if (!there) return failed(there.error(), "read the playlist's items");
        plan.data["already_there"] = there.value() ? nlohmann::json(*there.value()) : nullptr;
        return true;
    }

    // create_playlist: the new playlist's URI for the response, and the playlists topic follows
    // (a fresh list; if that read fails the next poll brings it).
    void created(const std::string& body, CommandPlan& plan) {
        if (auto playlist = parse_playlist(body)) plan.data["uri"] = playlist->uri;
        auto playlists =
            session_.call<std::vector<Playlist>>([](WebApi& api) { return api.playlists(); });
        if (playlists) outcome_.playlists = playlists.value();
    }

    bool failed(const Error& error, const std::string& action,
                const std::vector<std::string>& done = {}) {
        outcome_.error = command_error(error, action, done);
        outcome_.api_error = error;
        return false;
    }

    CommandOutcome finish() {
        static_cast<SessionResult&>(outcome_) = session_.result();
        if (outcome_.refresh_deferred && outcome_.calls_made == 0) {
            // Nothing was done: the command waits for the token and runs again.
            outcome_.error.reset();
            outcome_.api_error.reset();
        } else if (outcome_.refresh_deferred) {
            // Some calls went through: the response reports the one that could not be made.
            outcome_.refresh_deferred = false;
        } else if (outcome_.auth_error && !outcome_.error) {
            outcome_.error = command_error(*outcome_.auth_error, "reach Spotify", {});
        }
        return std::move(outcome_);
    }

    const CommandRequest& request_;
    AccountKnowledge known_;
    ApiSession session_;
    CommandOutcome outcome_;
};

}  // namespace

CommandOutcome run_command(HttpClient& http, const CommandRequest& request,
                           const std::function<int64_t()>& now_ms) {
    return CommandRun(http, request, now_ms).run();
}

}  // namespace s2m
