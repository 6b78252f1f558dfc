#include "app/modules/LikedModule.h"

#include <spdlog/spdlog.h>

#include "core/Liked.h"

namespace s2m {

namespace {

// On a worker: one GET /me/library/contains with the token the loop had. The job may not renew
// the token (only polls and commands hold that right), so an expiring token defers the check.
LikedOutcome run_library_check(HttpClient& http, const JobRequest& request, const std::string& uri,
                               const std::function<int64_t()>& now_ms) {
    ApiSession session(http, request, now_ms);
    LikedOutcome outcome;
    if (session.ensure_fresh_token())
        outcome.liked = session.read<bool>([&](WebApi& api) { return api.in_library(uri); });
    static_cast<SessionResult&>(outcome) = session.result();
    return outcome;
}

const std::string* playing_uri(const std::optional<PlaybackState>& shown) {
    if (!shown || shown->state == PlayerState::Idle || !shown->track || shown->track->uri.empty())
        return nullptr;
    return &shown->track->uri;
}

}  // namespace

void LikedModule::on_account_added(Account& account) {
    checks_[account.name] = Check{};
}

void LikedModule::on_account_removed(const std::string& name) {
    if (auto it = checks_.find(name); it != checks_.end()) {
        loop_.cancel(it->second.wait.retry_timer);
        checks_.erase(it);  // a check still running reports to nobody
    }
}

void LikedModule::on_state_published(Account& account) {
    check_current(account);
}

void LikedModule::on_command_succeeded(Account& account, const CommandSet& commands) {
    if (!commands.like) return;
    // The command saved or removed the item the state shows (core/CommandKeys.cpp: plan_like),
    // so its outcome is what the library now says: shown at once, no read.
    const std::string* uri = playing_uri(state_.seen(account.name).published);
    if (!uri) return;
    Check& check = checks_[account.name];
    check.read_for = *uri;
    if (check.running == *uri) check.answered_by_command = true;  // its answer is older
    state_.apply_liked(account, LikedMark{*uri, *commands.like});
}

void LikedModule::on_poll_finished(Account& account) {
    resume_after_poll(account, checks_[account.name].wait, [this](Account& found) {
        if (checks_.count(found.name)) check_current(found);
    });
}

void LikedModule::check_current(Account& account) {
    if (!account.record || account.reauth_required || account.app.empty()) return;
    Check& check = checks_[account.name];
    const std::optional<PlaybackState>& shown = state_.seen(account.name).published;
    if (!shown) return;
    if (shown->state == PlayerState::Idle) {
        check.read_for.reset();  // whatever plays next time is news
        return;
    }
    // One check at a time: when it ends, this runs again for the item shown then.
    if (check.running || !liked_read_due(*shown, check.read_for)) return;
    // A routine read: it waits for the pace of polls and for a 429 window like a poll does.
    bool slot = take_routine_slot(account, check.wait, [this](Account& found) {
        if (checks_.count(found.name)) check_current(found);
    });
    if (!slot) return;
    const std::string uri = shown->track->uri;
    check.read_for = uri;
    check.running = uri;
    check.answered_by_command = false;
    JobRequest request = side_read_request(account);
    // Like the PollJob: the job captures the loop, not the module, so a result that arrives
    // after the bridge is gone never runs.
    workers_.submit("liked/" + account.name, [this, loop = &loop_, clock = &core_.clock(), uri,
                                              request = std::move(request)](HttpClient& http) {
        LikedOutcome outcome;
        try {
            outcome = run_library_check(http, request, uri, [clock] { return clock->now_ms(); });
        } catch (const std::exception& e) {
            outcome.liked = Error{ErrorKind::Internal, std::string("internal error: ") + e.what()};
        }
        loop->post([this, name = request.account, uri, outcome = std::move(outcome)]() mutable {
            on_check_done(name, uri, std::move(outcome));
        });
    });
}

void LikedModule::on_check_done(const std::string& name, const std::string& uri,
                                LikedOutcome outcome) {
    Account* found = core_.find(name);
    auto it = checks_.find(name);
    if (!found || it == checks_.end()) return;  // unlinked meanwhile
    Account& account = *found;
    Check& check = it->second;
    check.running.reset();
    if (outcome.refresh_deferred) {
        check.read_for.reset();
        check.wait.wants_token = true;  // the next poll renews it, then this checks again
        return;
    }
    if (!outcome.liked) return;  // the token failed; the polls report that
    if (outcome.liked->ok()) {
        if (!check.answered_by_command)
            state_.apply_liked(account, LikedMark{uri, outcome.liked->value()});
    } else {
        const Error& error = outcome.liked->error();
        if (check.read_for == uri) check.read_for.reset();  // the next state change tries again
        if (error.kind == ErrorKind::RateLimited && !is_gate_refusal(error)) {
            gates_.close_for(account, error);
        } else {
            spdlog::warn("{}: could not check whether the item is in Liked Songs: {}", name,
                         error.message);
        }
        return;
    }
    check_current(account);  // the item may have changed while this ran
}

}  // namespace s2m
