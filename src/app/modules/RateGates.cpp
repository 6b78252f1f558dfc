#include "app/modules/RateGates.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/Durations.h"

namespace s2m {

AppGate& RateGates::gate_of(const Account& account) {
    int64_t now = core_.clock().now_ms();
    auto it = gates_.find(account.app);
    if (it == gates_.end()) {
        RateGate gate(RateBudget::for_pace(core_.config().polling.max_requests_per_minute), now);
        it = gates_
                 .emplace(account.app,
                          AppGate{std::move(gate), {}, 0, std::make_shared<RateWindow>()})
                 .first;
    }
    // A job may have closed the app's window (its 429) before its result reached the loop.
    AppGate& app = it->second;
    app.gate.close_for(now, app.window->closed_until_ms() - now);
    return app;
}

int64_t RateGates::rate_limited_until_ms(const Account& account) const {
    auto it = gates_.find(account.app);
    if (it == gates_.end()) return 0;  // nothing sent yet, so nothing limited
    int64_t until =
        std::max(it->second.gate.closed_until_ms(), it->second.window->closed_until_ms());
    return until > core_.clock().now_ms() ? until : 0;
}

// A 429 window or the pace of polls: the poll waits in line and the gate's timer starts it.
bool RateGates::take_poll_slot(const Account& account, double calls) {
    int64_t now = core_.clock().now_ms();
    AppGate& app = gate_of(account);
    bool first = app.queue.empty() || app.queue.front().first == account.name;
    if (first && app.gate.wait_ms(now, calls, Priority::Routine) == 0) {
        if (!app.queue.empty()) app.queue.pop_front();
        app.gate.spend(now, calls);
        if (!app.queue.empty()) arm_gate_timer(account.app);
        return true;
    }
    auto queued = std::find_if(app.queue.begin(), app.queue.end(),
                               [&](const auto& entry) { return entry.first == account.name; });
    if (queued == app.queue.end()) {
        app.queue.emplace_back(account.name, calls);
        metrics_.add("spotify2mqtt_rate_limit_waits_total");
    } else {
        queued->second = calls;
    }
    arm_gate_timer(account.app);
    return false;
}

void RateGates::arm_gate_timer(const std::string& app_id) {
    AppGate& app = gates_.at(app_id);
    loop_.cancel(app.timer);
    if (app.queue.empty()) return;
    int64_t wait =
        app.gate.wait_ms(core_.clock().now_ms(), app.queue.front().second, Priority::Routine);
    app.timer =
        loop_.post_after(std::chrono::milliseconds(std::max<int64_t>(1, wait)), [this, app_id] {
            std::deque<std::pair<std::string, double>>& queue = gates_.at(app_id).queue;
            while (!queue.empty()) {
                Account* account = core_.find(queue.front().first);
                if (account && account->record && !account->reauth_required &&
                    turns_->take_turn(*account))
                    return;
                queue.pop_front();  // polling already, unlinked or needs a new link meanwhile
            }
        });
}

int64_t RateGates::close_for(Account& account, const Error& error) {
    int64_t now = core_.clock().now_ms();
    bool quota = is_quota_exceeded(error);
    AppGate& app = gate_of(account);
    int64_t until = app.gate.close_for(now, rate_limit_window_ms(error));  // never shortened
    app.window->close_until(until);  // jobs already running stop before their next call
    metrics_.add(
        "spotify2mqtt_rate_limit_windows_total",
        {{"client_id", account.app}, {"reason", quota ? "quota_exceeded" : "rate_limited"}});
    metrics_.set("spotify2mqtt_rate_limited_until_timestamp_seconds", {{"client_id", account.app}},
                 static_cast<double>(until) / 1000.0);
    std::string message =
        quota ? "Spotify says this app's request quota is used up (QUOTA_EXCEEDED): no requests "
                "for " +
                    describe_duration(until - now) +
                    ". A development-mode app has a small quota; poll less (polling.*) or ask "
                    "Spotify for extended quota"
              : "Spotify rate limit: no requests for " + describe_duration(until - now);
    spdlog::warn("{}: {}", account.name, message);
    core_.publish_event(quota ? "quota_exceeded" : "rate_limited", account.name, message);
    // Every account of the same app is limited with it; the others carry on.
    for (auto& [name, other] : core_.accounts()) {
        if (other.app != account.app) continue;
        if (until - now > kLongRateLimitMs) show_rate_limited(other, until, message);
        core_.notify([&](Module& module) { module.on_rate_limit_changed(other); });
    }
    return until - now;
}

void RateGates::show_rate_limited(Account& account, int64_t until_ms, const std::string& message) {
    if (!account.record || account.reauth_required) return;
    Availability down = Availability::down("rate_limited", message);
    down.until_ms = until_ms;
    core_.set_availability(account, down);
}

int64_t RateGates::wait_for_gate(Account& account) {
    int64_t now = core_.clock().now_ms();
    gate_of(account);  // learns the window a job closed, if the loop has not yet
    int64_t until = std::max(rate_limited_until_ms(account), now);
    // The job that got the 429 reports it (event, message); here the account only waits, and
    // keeps what that report shows unless nothing has said so yet.
    bool shown = account.availability && account.availability->reason == "rate_limited";
    if (until - now > kLongRateLimitMs && !shown) {
        show_rate_limited(account, until,
                          "Spotify rate limit: no requests for " + describe_duration(until - now));
    }
    core_.notify([&](Module& module) { module.on_rate_limit_changed(account); });
    return until - now;
}

}  // namespace s2m
