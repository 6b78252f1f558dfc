#include "app/modules/RecentModule.h"

#include <spdlog/spdlog.h>

#include "app/AccountScopes.h"

namespace s2m {

void RecentModule::on_account_added(Account& account) {
    recents_[account.name] = Recent{};
}

void RecentModule::on_account_removed(const std::string& name) {
    if (auto it = recents_.find(name); it != recents_.end()) {
        loop_.cancel(it->second.wait.retry_timer);
        loop_.cancel(it->second.gap_timer);
        recents_.erase(it);  // a read still running reports to nobody
    }
    core_.publish(core_.topics().recent(name), "", true);
}

void RecentModule::on_account_relinked(Account& account) {
    Recent& recent = recents_[account.name];
    recent.refused = false;  // the new link may grant what the old one lacked
    recent.reads = RecentReads{};
}

void RecentModule::on_state_published(Account& account) {
    const std::optional<PlaybackState>& shown = state_.seen(account.name).published;
    if (!shown) return;
    recents_[account.name].reads.saw(*shown);
    consider(account);
}

void RecentModule::on_get(Account& account) {
    // After the poll /get starts: the player first, and the two reads never run side by side.
    if (may_read(account)) recents_[account.name].get_asked = true;
}

void RecentModule::on_poll_finished(Account& account) {
    Recent& recent = recents_[account.name];
    auto read_again = [this](Account& found) {
        if (recents_.count(found.name) && may_read(found)) read(found);
    };
    if (recent.get_asked) {
        recent.get_asked = false;
        recent.wait.wants_token = false;  // the read below covers a deferred one too
        post_for(account.name, read_again);
        return;
    }
    resume_after_poll(account, recent.wait, read_again);
}

void RecentModule::on_publish_retained(const Account& account) {
    auto it = recents_.find(account.name);
    if (it != recents_.end() && it->second.shown)
        core_.publish(core_.topics().recent(account.name), *it->second.shown, true);
}

bool RecentModule::may_read(const Account& account) const {
    auto it = recents_.find(account.name);
    return it != recents_.end() && !it->second.refused && account.record &&
           !account.reauth_required && !account.app.empty() &&
           account_may_use(account, Feature::Recent);
}

void RecentModule::consider(Account& account) {
    if (!may_read(account)) return;
    Recent& recent = recents_[account.name];
    const std::optional<PlaybackState>& shown = state_.seen(account.name).published;
    if (!shown || recent.in_flight) return;
    int64_t now = core_.clock().now_ms();
    loop_.cancel(recent.gap_timer);
    recent.gap_timer = 0;
    if (recent.reads.due(*shown, now)) {
        read(account);
    } else if (auto wait = recent.reads.wait_ms(*shown, now)) {
        // Something new may be there, but the last read is recent: look again when the gap
        // ends (the state may say otherwise by then).
        recent.gap_timer =
            loop_.post_after(std::chrono::milliseconds(*wait), [this, name = account.name] {
                if (Account* found = core_.find(name); found && recents_.count(name))
                    consider(*found);
            });
    }
}

void RecentModule::read(Account& account) {
    Recent& recent = recents_[account.name];
    if (recent.in_flight) {
        recent.read_again = true;
        return;
    }
    // In the background: the history can wait for a quiet moment of the app, a poll cannot.
    bool slot = take_routine_slot(
        account, recent.wait,
        [this](Account& found) {
            if (recents_.count(found.name) && may_read(found)) read(found);
        },
        1, /*background=*/true);
    if (!slot) return;
    loop_.cancel(recent.gap_timer);
    recent.gap_timer = 0;
    recent.reads.read(core_.clock().now_ms());
    recent.in_flight = true;
    recent.read_again = false;
    run_side_read<std::vector<PlayedItem>>(
        "recent/" + account.name, side_read_request(account),
        [](WebApi& api) { return api.recently_played(static_cast<int>(kRecentItems)); },
        [this](const std::string& name, SideReadOutcome<std::vector<PlayedItem>> outcome) {
            on_read_done(name, std::move(outcome));
        });
}

void RecentModule::on_read_done(const std::string& name,
                                SideReadOutcome<std::vector<PlayedItem>> outcome) {
    Account* found = core_.find(name);
    auto it = recents_.find(name);
    if (!found || it == recents_.end()) return;  // unlinked meanwhile
    Account& account = *found;
    Recent& recent = it->second;
    recent.in_flight = false;
    if (outcome.refresh_deferred) {
        recent.reads.failed();
        recent.wait.wants_token = true;  // the next poll renews it, then this reads again
        return;
    }
    if (!outcome.read) {  // the token failed; the polls report that
        recent.reads.failed();
        return;
    }
    if (outcome.read->ok()) {
        std::string payload = recent_payload(outcome.read->value()).dump();
        if (recent.shown != payload) {
            recent.shown = payload;
            core_.publish(core_.topics().recent(name), payload, true);
        }
    } else {
        const Error& error = outcome.read->error();
        recent.reads.failed();  // the next chance (an item change, the gap's end) tries again
        if (error.kind == ErrorKind::RateLimited && !is_gate_refusal(error)) {
            gates_.close_for(account, error);
        } else if (error.kind == ErrorKind::Http && error.http_status == 403) {
            // The link lacks the permission after all (the token store said otherwise): asking
            // again would get the same answer, so not until the account links again.
            recent.refused = true;
            spdlog::warn(
                "{}: Spotify refused to show what was played recently ({}); the recent "
                "topic is not read again until the account links again",
                name, error.message);
        } else {
            spdlog::warn("{}: could not read what was played recently: {}", name, error.message);
        }
    }
    if (recent.read_again) {
        read(account);
    } else {
        consider(account);
    }
}

}  // namespace s2m
