// PollingModule: applying what a poll (or a command's reads) found.
#include <spdlog/spdlog.h>

#include "app/modules/PollingModule.h"
#include "core/Encoding.h"

namespace s2m {

namespace {
// Our sentence plus a quoted part (kQuotedBytes at most).
constexpr size_t kMaxShownErrorBytes = 2 * kQuotedBytes;
}  // namespace

void PollingModule::on_poll_done(const std::string& name, PollOutcome outcome) {
    Account* found = core_.find(name);
    if (!found) return;  // removed meanwhile
    Account& account = *found;
    Polls& polls = polls_[name];
    polls.in_flight = false;
    // A command may have waited for this poll to renew the token.
    core_.notify([&](Module& module) { module.on_poll_finished(account); });
    tokens_.apply_grant(account, outcome);
    if (outcome.refresh_deferred) {
        // A command job is renewing the token right now; look again in a moment.
        schedule_poll(account, 500);
        return;
    }
    if (outcome.auth_error) {
        apply_failure(account, *outcome.auth_error);
        return;
    }
    if (outcome.profile && outcome.profile->ok())
        apply_profile(account, outcome.profile->value(), polls.poll_started_ms);
    if (outcome.context_name) {
        state_.remember_context_name(account, outcome.context_name->first,
                                     outcome.context_name->second);
    }
    if (outcome.devices && outcome.devices->ok()) {
        polls.schedule.devices_read(polls.poll_started_ms);
        state_.apply_devices(account, outcome.devices->value());
    }
    if (outcome.playlists && outcome.playlists->ok()) {
        polls.schedule.playlists_read(polls.poll_started_ms);
        state_.apply_playlists(account, outcome.playlists->value());
    }
    core_.account_changed(account);  // new devices, playlists or Premium status show in HA

    // The first failure among the calls decides what the account shows.
    const Error* failure = nullptr;
    for (const Error* candidate :
         {outcome.profile && !outcome.profile->ok() ? &outcome.profile->error() : nullptr,
          outcome.player && !outcome.player->ok() ? &outcome.player->error() : nullptr,
          outcome.devices && !outcome.devices->ok() ? &outcome.devices->error() : nullptr,
          outcome.playlists && !outcome.playlists->ok() ? &outcome.playlists->error() : nullptr}) {
        if (candidate && !failure) failure = candidate;
    }
    // A poll that went out before a command finished may show the state from before it; the
    // command already published what it knows, so ask again instead of flipping back.
    bool outdated = polls.last_command_done_ms > polls.poll_started_ms;
    if (outdated) polls.poll_again = true;
    if (outcome.player && outcome.player->ok() && !outdated) {
        polls.schedule.player_read(outcome.player->value(), polls.poll_started_ms);
        maybe_save_habits(name, polls);
        apply_player(account, std::move(outcome.player->value()));
    }
    if (failure) {
        apply_failure(account, *failure);
        return;
    }
    polls.failures = 0;
    account.last_error.clear();
    if (gates_.rate_limited_until_ms(account) - core_.clock().now_ms() > kLongRateLimitMs) {
        // Its calls went out before the app's gate closed for long: what they read is shown,
        // but the account stays offline (rate_limited) until the window ends.
        wait_for_gate(account);
        return;
    }
    core_.set_availability(account, Availability::up());
    schedule_poll(account, polls.poll_again ? 0 : next_delay_after_poll(account));
}

void PollingModule::apply_profile(Account& account, const UserProfile& profile,
                                  int64_t read_at_ms) {
    AccountRecord& record = *account.record;
    polls_[account.name].profile_read_ms = read_at_ms;
    bool plan_changed = record.premium.has_value() && record.premium != profile.premium;
    if (record.user_id == profile.id && record.display_name == profile.display_name &&
        record.premium == profile.premium)
        return;
    bool user_learned = record.user_id != profile.id;
    record.user_id = profile.id;
    record.display_name = profile.display_name;
    record.premium = profile.premium;
    tokens_.save_record(account);
    if (user_learned) core_.notify([&](Module& module) { module.on_user_learned(account); });
    core_.publish_info();
    if (plan_changed) {
        spdlog::info("{}: Spotify plan is now {}", account.name,
                     record.premium == true    ? "Premium: playback control is on"
                     : record.premium == false ? "Free: read only"
                                               : "not reported");
        core_.account_changed(account);  // control entities appear or go read-only
    }
}

void PollingModule::apply_lists(Account& account, std::optional<std::vector<Device>> devices,
                                std::optional<std::vector<Playlist>> playlists, int64_t at_ms) {
    Polls& polls = polls_[account.name];
    if (devices) {
        polls.schedule.devices_read(at_ms);
        state_.apply_devices(account, std::move(*devices));
    }
    if (playlists) {
        polls.schedule.playlists_read(at_ms);
        state_.apply_playlists(account, std::move(*playlists));
    }
}

void PollingModule::apply_player(Account& account, PlaybackState state) {
    if (state_.apply_player(account, std::move(state)))
        polls_[account.name].schedule.request_devices();  // a device we have not listed
}

void PollingModule::apply_failure(Account& account, const Error& caught) {
    if (is_gate_refusal(caught)) {
        // Not Spotify's answer: the app's window closed while the poll ran. Not a failure of
        // this account; the 429 behind it is reported by the request that got it.
        wait_for_gate(account);
        return;
    }
    // The message goes into retained topics (availability, diagnostics) and the log; parts of it
    // may come from outside, so it is capped here whatever produced it.
    Error error = caught;
    error.message = untrusted_excerpt(error.message, kMaxShownErrorBytes);
    account.last_error = error.message;
    Polls& polls = polls_[account.name];
    ++polls.failures;
    switch (error.kind) {
        case ErrorKind::InvalidGrant:
            account.reauth_required = true;
            spdlog::error("{}: {}", account.name, error.message);
            core_.set_availability(account, Availability::down("reauth_required", error.message));
            core_.publish_event("reauth_required", account.name, error.message);
            return;  // no more polls until the account is linked again
        case ErrorKind::RateLimited:
            apply_rate_limit(account, error);
            return;
        case ErrorKind::BadResponse:
            spdlog::warn("{}: {}", account.name, error.message);
            core_.set_availability(account, Availability::down("bad_response", error.message));
            break;
        default:
            spdlog::warn("{}: Spotify call failed: {}", account.name, error.message);
            core_.set_availability(account, Availability::down("api_unreachable", error.message));
            break;
    }
    schedule_poll(account, failure_backoff_ms(polls.failures, jitter_(random_)));
}

void PollingModule::apply_rate_limit(Account& account, const Error& error) {
    schedule_poll(account, gates_.close_for(account, error));
}

}  // namespace s2m
