// Bridge: polling accounts and applying what the polls found.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "app/Bridge.h"
#include "core/Encoding.h"
#include "core/StateDiff.h"
#include "core/StatePayload.h"

namespace s2m {

namespace {

std::string describe_track(const PlaybackState& state) {
    if (state.state == PlayerState::Idle) return "idle";
    // Names come from Spotify (a device is named by whoever owns it): quoted, never whole.
    std::string text = to_string(state.state);
    if (state.track) {
        text += " '" + untrusted_excerpt(state.track->name, 100) + "'";
        if (!state.track->artists.empty())
            text += " by " + untrusted_excerpt(state.track->artists.front(), 100);
    }
    if (state.device) text += " on " + untrusted_excerpt(state.device->name, 100);
    return text;
}
// A Free account's plan is read again this often (one call), so an upgrade shows without a
// relink; a refused command asks for a read sooner, at most once per kPlanRecheckGapMs.
constexpr int64_t kFreePlanRereadMs = 6 * 3600 * 1000;
constexpr int64_t kPlanRecheckGapMs = 60 * 1000;
// Our sentence plus a quoted part (kQuotedBytes at most).
constexpr size_t kMaxShownErrorBytes = 2 * kQuotedBytes;
}  // namespace

void Bridge::apply_profile(Account& account, const UserProfile& profile, int64_t read_at_ms) {
    AccountRecord& record = *account.record;
    account.profile_read_ms = read_at_ms;
    bool plan_changed = record.premium.has_value() && record.premium != profile.premium;
    if (record.user_id == profile.id && record.display_name == profile.display_name &&
        record.premium == profile.premium)
        return;
    bool user_learned = record.user_id != profile.id;
    record.user_id = profile.id;
    record.display_name = profile.display_name;
    record.premium = profile.premium;
    save_record(account);
    if (user_learned) warn_if_linked_twice(account);
    publish_info();
    if (plan_changed) {
        spdlog::info("{}: Spotify plan is now {}", account.name,
                     record.premium == true    ? "Premium: playback control is on"
                     : record.premium == false ? "Free: read only"
                                               : "not reported");
        publish_home_assistant(account);  // control entities appear or go read-only
    }
}

void Bridge::recheck_plan(Account& account) {
    int64_t now = unix_now_ms();
    if (account.plan_rechecked_ms >= 0 && now - account.plan_rechecked_ms < kPlanRecheckGapMs)
        return;
    account.plan_rechecked_ms = now;
    account.profile_read_ms = -1;  // only Free accounts are refused, and they re-read when -1
    spdlog::info("{}: a command needs Premium; reading the account's plan again", account.name);
    schedule_poll(account, 0);
}

void Bridge::schedule_poll(Account& account, int64_t delay_ms) {
    loop_.cancel(account.poll_timer);
    std::string name = account.name;
    account.next_poll_at_ms = unix_now_ms() + std::max<int64_t>(0, delay_ms);
    account.poll_timer =
        loop_.post_after(std::chrono::milliseconds(std::max<int64_t>(0, delay_ms)), [this, name] {
            auto it = accounts_.find(name);
            if (it != accounts_.end()) poll_now(it->second);
        });
}

void Bridge::poll_now(Account& account) {
    if (!account.record || account.reauth_required || account.app.empty()) return;
    if (account.in_flight) {
        account.poll_again = true;
        return;
    }
    int64_t now = unix_now_ms();
    const AccountRecord& record = *account.record;
    PollExtras extras = account.schedule.extras(now);
    // The profile: once after linking, and for a Free account again every few hours (and when
    // a refused command asks), so an upgrade to Premium turns control on by itself.
    bool want_profile =
        !record.user_id.has_value() ||
        (record.premium == false &&
         (account.profile_read_ms < 0 || now - account.profile_read_ms >= kFreePlanRereadMs));
    double calls = 1.0 + extras.devices + extras.playlists + want_profile;
    if (account.urgent_read) {
        RateGate& gate = gate_of(account).gate;
        if (int64_t wait = gate.wait_ms(now, calls, Priority::Command); wait > 0) {
            schedule_poll(account, wait);
            return;
        }
        account.urgent_read = false;
        gate.spend(now, calls);
    } else if (!take_poll_slot(account, calls)) {
        return;  // the gate calls again when it is its turn
    }
    loop_.cancel(account.poll_timer);
    metrics_.add("spotify2mqtt_polls_total");
    if (account.next_poll_at_ms > 0 && now >= account.next_poll_at_ms) {
        // A scheduled read (not one asked for early): how late did it start?
        metrics_.observe("spotify2mqtt_poll_lag_seconds", {},
                         static_cast<double>(now - account.next_poll_at_ms) / 1000.0);
    }
    account.next_poll_at_ms = 0;
    PollRequest request;
    request.account = account.name;
    request.spotify = config_.spotify_for(account.name);
    request.token =
        TokenSnapshot{record.refresh_token, record.access_token, record.access_expires_at_ms,
                      !account.command_in_flight};  // one refresher per account
    request.want_profile = want_profile;
    request.want_devices = extras.devices;
    request.want_playlists = extras.playlists;
    request.rate_window = gate_of(account).window;
    for (const auto& [uri, name] : account.context_names) request.known_context_names.insert(uri);

    account.in_flight = true;
    account.poll_again = false;
    account.poll_started_ms = now;
    // The job captures the loop, not the bridge: it may finish after the bridge is gone, and
    // then its posted result simply never runs. Its own lane: it never waits for another
    // account's work, nor for this account's command.
    workers_.submit("poll/" + account.name, [this, loop = &loop_,
                                             request = std::move(request)](HttpClient& http) {
        PollOutcome outcome;
        try {
            outcome = run_poll(http, request, unix_now_ms);
        } catch (const std::exception& e) {
            // Never leave the account "in flight" forever: report the failure like any other.
            outcome = PollOutcome{};
            outcome.player = Error{ErrorKind::Internal, std::string("internal error: ") + e.what()};
        }
        loop->post([this, name = request.account, outcome = std::move(outcome)]() mutable {
            on_poll_done(name, std::move(outcome));
        });
    });
}

void Bridge::on_poll_done(const std::string& name, PollOutcome outcome) {
    auto it = accounts_.find(name);
    if (it == accounts_.end()) return;  // removed meanwhile
    Account& account = it->second;
    account.in_flight = false;
    // A command may have waited for this poll to renew the token.
    loop_.post([this, name] {
        if (auto found = accounts_.find(name); found != accounts_.end())
            dispatch_commands(found->second);
    });
    apply_grant(account, outcome.grant, outcome.grant_received_at_ms);
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
        apply_profile(account, outcome.profile->value(), account.poll_started_ms);
    if (outcome.context_name)
        account.context_names[outcome.context_name->first] = outcome.context_name->second;

    if (outcome.devices && outcome.devices->ok()) {
        account.schedule.devices_read(account.poll_started_ms);
        if (account.devices != outcome.devices->value()) {
            account.devices = outcome.devices->value();
            publish(topics_.devices(name), devices_payload(*account.devices).dump(), true);
        }
    }
    if (outcome.playlists && outcome.playlists->ok()) {
        account.schedule.playlists_read(account.poll_started_ms);
        if (account.playlists != outcome.playlists->value()) {
            account.playlists = outcome.playlists->value();
            publish(topics_.playlists(name), playlists_payload(*account.playlists).dump(), true);
        }
    }
    publish_home_assistant(account);  // new devices, playlists or Premium status show in HA

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
    bool outdated = account.last_command_done_ms > account.poll_started_ms;
    if (outdated) account.poll_again = true;
    if (outcome.player && outcome.player->ok() && !outdated) {
        account.schedule.player_read(outcome.player->value(), account.poll_started_ms);
        apply_player(account, std::move(outcome.player->value()));
    }
    if (failure) {
        apply_failure(account, *failure);
        return;
    }
    account.failures = 0;
    account.last_error.clear();
    if (rate_limited_until_ms(account) - unix_now_ms() > kLongRateLimitMs) {
        // Its calls went out before the app's gate closed for long: what they read is shown,
        // but the account stays offline (rate_limited) until the window ends.
        wait_for_gate(account);
        return;
    }
    set_availability(account, Availability::up());
    schedule_poll(account, account.poll_again ? 0 : next_delay_after_poll(account));
}

void Bridge::apply_grant(Account& account, const std::optional<TokenGrant>& grant,
                         int64_t received_at_ms) {
    if (!grant || !account.record) return;
    AccountRecord& record = *account.record;
    record.access_token = grant->access_token;
    record.access_expires_at_ms = received_at_ms + grant->expires_in_s * 1000;
    if (!grant->scope.empty()) record.scope = grant->scope;
    bool rotated = grant->refresh_token && *grant->refresh_token != record.refresh_token;
    if (rotated) record.refresh_token = *grant->refresh_token;
    // Persist at once: a rotated refresh token lost in a crash would unlink the account.
    save_record(account);
    spdlog::debug("{}: access token refreshed{}", account.name,
                  rotated ? " (refresh token rotated)" : "");
}

void Bridge::apply_player(Account& account, PlaybackState state) {
    if (account.record) state.premium = account.record->premium;
    if (state.state != PlayerState::Idle && state.device && state.device->id)
        account.last_device_id = state.device->id;
    if (state.context) {
        auto known = account.context_names.find(state.context->uri);
        if (known != account.context_names.end() && !known->second.empty()) {
            state.context->name = known->second;
        }
    }
    if (state.device && state.device->id && account.devices) {
        bool known = std::any_of(account.devices->begin(), account.devices->end(),
                                 [&](const Device& d) { return d.id == state.device->id; });
        if (!known) account.schedule.request_devices();  // a device we have not listed
    }
    if (account.published && !is_news(*account.published, state)) return;
    spdlog::info("{}: {}", account.name, describe_track(state));
    account.published = std::move(state);
    publish(topics_.account(account.name), state_payload(*account.published).dump(), true);
    publish_media_player(account);
}

void Bridge::apply_failure(Account& account, const Error& caught) {
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
    ++account.failures;
    switch (error.kind) {
        case ErrorKind::InvalidGrant:
            account.reauth_required = true;
            spdlog::error("{}: {}", account.name, error.message);
            set_availability(account, Availability::down("reauth_required", error.message));
            publish_event("reauth_required", account.name, error.message);
            return;  // no more polls until the account is linked again
        case ErrorKind::RateLimited:
            apply_rate_limit(account, error);
            return;
        case ErrorKind::BadResponse:
            spdlog::warn("{}: {}", account.name, error.message);
            set_availability(account, Availability::down("bad_response", error.message));
            break;
        default:
            spdlog::warn("{}: Spotify call failed: {}", account.name, error.message);
            set_availability(account, Availability::down("api_unreachable", error.message));
            break;
    }
    schedule_poll(account, failure_backoff_ms(account.failures, jitter_(random_)));
}

int64_t Bridge::next_delay_after_poll(const Account& account) const {
    return std::max<int64_t>(0, account.schedule.next_read_at() - unix_now_ms());
}

}  // namespace s2m
