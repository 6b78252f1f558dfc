// PollingModule: when each account is read, and the PollJob that reads it. What an outcome
// changes is in PollResults.cpp.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "app/modules/PollingModule.h"
#include "core/StateDiff.h"

namespace s2m {

namespace {
// A Free account's plan is read again this often (one call), so an upgrade shows without a
// relink; a refused command asks for a read sooner, at most once per kPlanRecheckGapMs.
constexpr int64_t kFreePlanRereadMs = 6 * 3600 * 1000;
constexpr int64_t kPlanRecheckGapMs = 60 * 1000;
constexpr int64_t kConfirmPollMs = 1000;    // after an optimistic update
constexpr int64_t kSecondConfirmMs = 1500;  // after a change Spotify takes a moment to show
// A learned start is kept within this long; the hours watched at least this often.
constexpr int64_t kHabitsSaveGapMs = 10 * 60 * 1000;
constexpr int64_t kHabitsRefreshMs = 6 * 3600 * 1000;
}  // namespace

PollingModule::PollingModule(const JobPorts& ports, PlayerStateModule& state)
    : JobModule(ports), state_(state) {
    gates_.set_turns(*this);
}

void PollingModule::on_account_added(Account& account) {
    const Config& config = core_.config();
    // The reads made once per new item (features.queue, features.liked) count in the budget.
    int calls_per_item = int(config.features.queue) + int(config.features.liked);
    Polls polls{PollSchedule(config.polling, calls_per_item)};
    // Habits are hours of the account's week in local time (ports/Clock.h).
    polls.schedule.use_local_time(
        [&clock = core_.clock()](int64_t at_ms) { return clock.utc_offset_ms(at_ms); });
    if (habits_store_) {
        if (auto kept = habits_store_->load(account.name)) {
            polls.schedule.restore_habits(std::move(*kept));
            spdlog::debug("{}: listening habits kept from an earlier run", account.name);
        }
    }
    polls.habits_saved_ms = core_.clock().now_ms();
    polls.habits_saved_revision = polls.schedule.habits().starts_revision();
    polls_[account.name] = std::move(polls);
}

PollSchedule* PollingModule::schedule_of(const std::string& name) {
    auto it = polls_.find(name);
    return it == polls_.end() ? nullptr : &it->second.schedule;
}

void PollingModule::save_habits(const std::string& name, Polls& polls) {
    if (!habits_store_) return;
    polls.habits_saved_ms = core_.clock().now_ms();
    polls.habits_saved_revision = polls.schedule.habits().starts_revision();
    if (auto saved = habits_store_->save(name, polls.schedule.habits()); !saved)
        spdlog::warn("{}: cannot keep its listening habits: {}", name, saved.error().message);
}

void PollingModule::maybe_save_habits(const std::string& name, Polls& polls) {
    int64_t since = core_.clock().now_ms() - polls.habits_saved_ms;
    bool learned = polls.schedule.habits().starts_revision() != polls.habits_saved_revision;
    if ((learned && since >= kHabitsSaveGapMs) || since >= kHabitsRefreshMs)
        save_habits(name, polls);
}

void PollingModule::save_all_habits() {
    for (auto& [name, polls] : polls_) {
        if (polls.schedule.has_read()) save_habits(name, polls);
    }
}

void PollingModule::on_account_ready(Account& account) {
    schedule_poll(account, 0);
}

void PollingModule::on_account_relinked(Account& account) {
    Polls& polls = polls_[account.name];
    polls.failures = 0;
    polls.schedule.request_devices();
    polls.schedule.request_playlists();
    poll_now(account);
}

void PollingModule::on_app_changed(Account& account) {
    loop_.cancel(polls_[account.name].poll_timer);
}

void PollingModule::on_account_removed(const std::string& name) {
    if (auto it = polls_.find(name); it != polls_.end()) {
        loop_.cancel(it->second.poll_timer);
        polls_.erase(it);  // a poll still running reports to nobody
    }
    if (habits_store_) habits_store_->forget(name);  // unlinked: its habits go too
}

std::vector<std::string> PollingModule::subscriptions() const {
    return {core_.topics().get("+")};
}

bool PollingModule::on_message(const MqttMessage& message) {
    std::vector<std::string> levels = levels_below(core_.topics().base(), message.topic);
    if (levels.size() != 2 || levels[1] != "get") return false;
    const std::string& name = levels[0];
    Account* account = core_.find(name);
    if (!account || !account->record) return true;
    Polls& polls = polls_[name];
    polls.schedule.request_devices();
    polls.schedule.request_playlists();
    poll_now(*account);
    core_.notify([account](Module& module) { module.on_get(*account); });
    return true;
}

bool PollingModule::take_turn(Account& account) {
    Polls& polls = polls_[account.name];
    if (polls.in_flight) {
        // It is polling already (a command asked): its place goes to the next.
        polls.poll_again = true;
        return false;
    }
    poll_now(account);
    return true;
}

bool PollingModule::polling(const std::string& name) const {
    auto it = polls_.find(name);
    return it != polls_.end() && it->second.in_flight;
}

void PollingModule::recheck_plan(Account& account) {
    Polls& polls = polls_[account.name];
    int64_t now = core_.clock().now_ms();
    if (polls.plan_rechecked_ms >= 0 && now - polls.plan_rechecked_ms < kPlanRecheckGapMs) return;
    polls.plan_rechecked_ms = now;
    polls.profile_read_ms = -1;  // only Free accounts are refused, and they re-read when -1
    spdlog::info("{}: a command needs Premium; reading the account's plan again", account.name);
    schedule_poll(account, 0);
}

void PollingModule::schedule_poll(Account& account, int64_t delay_ms) {
    Polls& polls = polls_[account.name];
    loop_.cancel(polls.poll_timer);
    std::string name = account.name;
    polls.next_poll_at_ms = core_.clock().now_ms() + std::max<int64_t>(0, delay_ms);
    polls.poll_timer =
        loop_.post_after(std::chrono::milliseconds(std::max<int64_t>(0, delay_ms)), [this, name] {
            if (Account* found = core_.find(name)) poll_now(*found);
        });
}

void PollingModule::poll_now(Account& account) {
    if (!account.record || account.reauth_required || account.app.empty()) return;
    Polls& polls = polls_[account.name];
    if (polls.in_flight) {
        polls.poll_again = true;
        return;
    }
    int64_t now = core_.clock().now_ms();
    const AccountRecord& record = *account.record;
    PollExtras extras = polls.schedule.extras(now);
    // The profile: once after linking, and for a Free account again every few hours (and when
    // a refused command asks), so an upgrade to Premium turns control on by itself.
    bool want_profile =
        !record.user_id.has_value() ||
        (record.premium == false &&
         (polls.profile_read_ms < 0 || now - polls.profile_read_ms >= kFreePlanRereadMs));
    double calls = 1.0 + extras.devices + extras.playlists + want_profile;
    if (polls.urgent_read) {
        RateGate& gate = gates_.gate_of(account).gate;
        if (int64_t wait = gate.wait_ms(now, calls, Priority::Command); wait > 0) {
            schedule_poll(account, wait);
            return;
        }
        polls.urgent_read = false;
        gate.spend(now, calls);
    } else if (!gates_.take_poll_slot(account, calls)) {
        return;  // the gate calls again when it is its turn
    }
    loop_.cancel(polls.poll_timer);
    metrics_.add("spotify2mqtt_polls_total");
    if (polls.next_poll_at_ms > 0 && now >= polls.next_poll_at_ms) {
        // A scheduled read (not one asked for early): how late did it start?
        metrics_.observe("spotify2mqtt_poll_lag_seconds", {},
                         static_cast<double>(now - polls.next_poll_at_ms) / 1000.0);
    }
    polls.next_poll_at_ms = 0;
    PollRequest request;
    request.account = account.name;
    request.spotify = core_.config().spotify_for(account.name);
    // One refresher per account at a time.
    request.token =
        TokenSnapshot{record.refresh_token, record.access_token, record.access_expires_at_ms,
                      !commands_->command_running(account.name)};
    request.want_profile = want_profile;
    request.want_devices = extras.devices;
    request.want_playlists = extras.playlists;
    request.rate_window = gates_.gate_of(account).window;
    for (const auto& [uri, name] : state_.seen(account.name).context_names)
        request.known_context_names.insert(uri);

    polls.in_flight = true;
    polls.poll_again = false;
    polls.poll_started_ms = now;
    // The job captures the loop, not the bridge: it may finish after the bridge is gone, and
    // then its posted result simply never runs. Its own lane: it never waits for another
    // account's work, nor for this account's command.
    workers_.submit("poll/" + account.name, [this, loop = &loop_, clock = &core_.clock(),
                                             request = std::move(request)](HttpClient& http) {
        PollOutcome outcome;
        try {
            outcome = run_poll(http, request, [clock] { return clock->now_ms(); });
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

void PollingModule::wait_for_gate(Account& account) {
    schedule_poll(account, gates_.wait_for_gate(account));
}

int64_t PollingModule::next_delay_after_poll(const Account& account) const {
    return std::max<int64_t>(
        0, polls_.at(account.name).schedule.next_read_at() - core_.clock().now_ms());
}

// Publishes what is certain at once, then lets a poll confirm (sooner when Spotify has to show
// a change the bridge cannot predict, such as the next track).
void PollingModule::confirm_command(Account& account, const CommandSet& commands,
                                    const CommandPlan& plan, bool partial) {
    Polls& polls = polls_[account.name];
    polls.last_command_done_ms = core_.clock().now_ms();
    if (plan.target && plan.target->id) state_.remember_device(account, *plan.target->id);
    int64_t now = core_.clock().now_ms();
    const Seen& seen = state_.seen(account.name);
    if (!partial && plan.predictable && seen.published) {
        apply_player(account, predicted_state(*seen.published, commands, plan, now));
    }
    if (partial || !plan.predictable) {
        polls.schedule.confirm_at(now + kSecondConfirmMs);
        polls.urgent_read = true;
        poll_now(account);  // a poll already running started too early: it polls again
        return;
    }
    polls.schedule.confirm_at(now + kConfirmPollMs);
    if (!polls.in_flight && polls.next_poll_at_ms - now > kConfirmPollMs)
        schedule_poll(account, kConfirmPollMs);
}

// A boost brings the next routine read forward when it is due sooner now (a read that is running,
// or waits for its app's rate-limit gate, is left alone: the schedule counts from it).
void PollingModule::boost(Account& account, int64_t until_ms) {
    Polls& polls = polls_[account.name];
    polls.schedule.boost_until(until_ms);
    if (polls.in_flight || polls.next_poll_at_ms <= 0 || !polls.schedule.has_read()) return;
    int64_t due = polls.schedule.next_read_at();
    if (due < polls.next_poll_at_ms) schedule_poll(account, due - core_.clock().now_ms());
}

}  // namespace s2m
