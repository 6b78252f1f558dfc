#include "app/modules/TopModule.h"

#include <spdlog/spdlog.h>

#include "app/AccountScopes.h"

namespace s2m {

namespace {
// One call for the tracks, one for the artists.
constexpr int kTopCalls = 2;
}  // namespace

void TopModule::on_account_added(Account& account) {
    tops_[account.name] = Top{};
}

void TopModule::on_account_removed(const std::string& name) {
    if (auto it = tops_.find(name); it != tops_.end()) {
        loop_.cancel(it->second.wait.retry_timer);
        loop_.cancel(it->second.day_timer);
        tops_.erase(it);  // a read still running reports to nobody
    }
    core_.publish(core_.topics().top(name), "", true);
}

void TopModule::on_account_relinked(Account& account) {
    Top& top = tops_[account.name];
    top.refused = false;  // the new link may grant what the old one lacked
    top.reads = TopReads{};
}

void TopModule::on_account_changed(Account& account) {
    consider(account);
}

void TopModule::on_poll_finished(Account& account) {
    resume_after_poll(account, tops_[account.name].wait, [this](Account& found) {
        if (tops_.count(found.name)) consider(found);
    });
}

void TopModule::on_publish_retained(const Account& account) {
    auto it = tops_.find(account.name);
    if (it != tops_.end() && it->second.shown)
        core_.publish(core_.topics().top(account.name), *it->second.shown, true);
}

bool TopModule::may_read(const Account& account) const {
    auto it = tops_.find(account.name);
    return it != tops_.end() && !it->second.refused && account.record && !account.reauth_required &&
           !account.app.empty() && account_may_use(account, Feature::Top);
}

void TopModule::consider(Account& account) {
    if (!may_read(account)) return;
    Top& top = tops_[account.name];
    if (top.in_flight || top.wait.wants_token) return;
    int64_t now = core_.clock().now_ms();
    bool online = account.availability && account.availability->online;
    if (!top.reads.due(online, now)) {
        auto wait = top.reads.wait_ms(now);
        if (wait && !top.day_timer) {
            top.day_timer =
                loop_.post_after(std::chrono::milliseconds(*wait), [this, name = account.name] {
                    auto it = tops_.find(name);
                    if (it == tops_.end()) return;
                    it->second.day_timer = 0;
                    // Offline then: the read waits for the account to come online again.
                    if (Account* found = core_.find(name)) consider(*found);
                });
        }
        return;
    }
    bool slot = take_routine_slot(
        account, top.wait,
        [this](Account& found) {
            if (tops_.count(found.name)) consider(found);
        },
        kTopCalls, /*background=*/true);
    if (!slot) return;
    loop_.cancel(top.day_timer);
    top.day_timer = 0;
    top.reads.read_at_ms = now;
    top.reads.failed = false;
    top.in_flight = true;
    run_side_read<TopItems>(
        "top/" + account.name, side_read_request(account),
        [](WebApi& api) { return api.top_items(kTopTimeRange, static_cast<int>(kTopItems)); },
        [this](const std::string& name, SideReadOutcome<TopItems> outcome) {
            on_read_done(name, std::move(outcome));
        });
}

void TopModule::on_read_done(const std::string& name, SideReadOutcome<TopItems> outcome) {
    Account* found = core_.find(name);
    auto it = tops_.find(name);
    if (!found || it == tops_.end()) return;  // unlinked meanwhile
    Account& account = *found;
    Top& top = it->second;
    top.in_flight = false;
    if (outcome.refresh_deferred) {
        top.reads.read_at_ms.reset();
        top.wait.wants_token = true;  // the next poll renews it, then this reads again
        return;
    }
    if (outcome.read && outcome.read->ok()) {
        std::string payload = top_payload(outcome.read->value()).dump();
        if (top.shown != payload) {
            top.shown = payload;
            core_.publish(core_.topics().top(name), payload, true);
        }
    } else {
        top.reads.failed = true;  // tried again in an hour
        if (outcome.read) {
            const Error& error = outcome.read->error();
            if (error.kind == ErrorKind::RateLimited && !is_gate_refusal(error)) {
                gates_.close_for(account, error);
            } else if (error.kind == ErrorKind::Http && error.http_status == 403) {
                top.refused = true;
                spdlog::warn(
                    "{}: Spotify refused to show the top items ({}); the top topic is "
                    "not read again until the account links again",
                    name, error.message);
            } else {
                spdlog::warn("{}: could not read the top items: {}", name, error.message);
            }
        }
    }
    consider(account);  // sets the timer of the next read
}

}  // namespace s2m
