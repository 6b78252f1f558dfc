// Polling: when each account is read (core/PollSchedule.h), the PollJob that reads it on a
// worker, and what its outcome changes (availability, backoff, the rate-limit wait). What the
// poll read goes to PlayerStateModule, which publishes it. <base>/<account>/get asks for a poll.
//
// Thread rule: loop thread only; the PollJob runs in the account's own worker lane and posts
// its outcome back to the loop.
#pragma once

#include <map>
#include <random>
#include <string>

#include "app/BridgeCore.h"
#include "app/PollJob.h"
#include "app/modules/JobModule.h"
#include "app/modules/PlayerStateModule.h"
#include "app/modules/RateGates.h"
#include "app/modules/TokensModule.h"
#include "core/CommandPlan.h"
#include "core/PollSchedule.h"
#include "ports/HabitsStore.h"
#include "ports/JobRunner.h"

namespace s2m {

// What the commands module may ask of polling: the reads and waits a command's result causes.
class PollControl {
  public:
    virtual ~PollControl() = default;
    virtual bool polling(const std::string& name) const = 0;  // a PollJob is running
    virtual void poll_now(Account& account) = 0;
    // A command was refused for needing Premium: read the plan again (upgraded meanwhile?).
    virtual void recheck_plan(Account& account) = 0;
    virtual void apply_profile(Account& account, const UserProfile& profile,
                               int64_t read_at_ms) = 0;
    // Devices and playlists a command read (at `at_ms`): published when changed.
    virtual void apply_lists(Account& account, std::optional<std::vector<Device>> devices,
                             std::optional<std::vector<Playlist>> playlists, int64_t at_ms) = 0;
    virtual void apply_player(Account& account, PlaybackState state) = 0;
    virtual void apply_failure(Account& account, const Error& error) = 0;
    virtual void apply_rate_limit(Account& account, const Error& error) = 0;  // a 429
    // Publishes what is certain at once, then lets a poll confirm the command's result.
    virtual void confirm_command(Account& account, const CommandSet& commands,
                                 const CommandPlan& plan, bool partial) = 0;
    // set/boost: idle and paused reads come fast until `until_ms` (PollSchedule::boost_until).
    virtual void boost(Account& account, int64_t until_ms) = 0;
};

// What polling asks of the commands module: one job renews an account's tokens at a time.
class CommandActivity {
  public:
    virtual ~CommandActivity() = default;
    virtual bool command_running(const std::string& name) const = 0;  // a CommandJob is running
};

class PollingModule : public JobModule, public PollControl, public PollTurns {
  public:
    PollingModule(const JobPorts& ports, PlayerStateModule& state);

    void set_commands(const CommandActivity& commands) { commands_ = &commands; }
    // Where each account's listening habits are kept across restarts (core/ListeningHabits.h);
    // without one they are learned afresh at each start.
    void keep_habits_in(HabitsStore& store) { habits_store_ = &store; }
    // Keeps every account's habits now (at shutdown).
    void save_all_habits();
    // The account's schedule (set/boost calls boost_until on it); nullptr for an unknown account.
    PollSchedule* schedule_of(const std::string& name);

    void on_account_added(Account& account) override;
    void on_account_ready(Account& account) override;
    void on_account_relinked(Account& account) override;
    void on_app_changed(Account& account) override;
    void on_account_removed(const std::string& name) override;
    std::vector<std::string> subscriptions() const override;
    bool on_message(const MqttMessage& message) override;  // <base>/<account>/get

    bool take_turn(Account& account) override;

    bool polling(const std::string& name) const override;
    void poll_now(Account& account) override;
    void recheck_plan(Account& account) override;
    void apply_profile(Account& account, const UserProfile& profile, int64_t read_at_ms) override;
    void apply_lists(Account& account, std::optional<std::vector<Device>> devices,
                     std::optional<std::vector<Playlist>> playlists, int64_t at_ms) override;
    void apply_player(Account& account, PlaybackState state) override;
    void apply_failure(Account& account, const Error& error) override;
    void apply_rate_limit(Account& account, const Error& error) override;
    void confirm_command(Account& account, const CommandSet& commands, const CommandPlan& plan,
                         bool partial) override;
    void boost(Account& account, int64_t until_ms) override;

  private:
    struct Polls {
        PollSchedule schedule;    // when to read what (core/PollSchedule.h)
        bool in_flight = false;   // a PollJob is running: never two per account
        bool poll_again = false;  // someone asked for a poll while one was running
        // The next read shows a command's result: it goes at a command's priority (only a 429
        // window holds it back), not in line with routine polls.
        bool urgent_read = false;
        // A Free account's plan is read again now and then, so an upgrade to Premium is
        // noticed without linking again: when it was last read (-1: read it with the next poll).
        int64_t profile_read_ms = -1;
        int64_t plan_rechecked_ms = -1;  // the last recheck a refused command asked for
        int failures = 0;                // consecutive failed polls, for backoff
        Scheduler::TimerId poll_timer = 0;
        int64_t next_poll_at_ms = 0;       // when poll_timer fires
        int64_t poll_started_ms = 0;       // when the running (or last) poll went out
        int64_t last_command_done_ms = 0;  // a poll older than this saw the state before it
        int64_t habits_saved_ms = 0;       // when its habits were last kept
        int64_t habits_saved_revision = 0;
    };

    void schedule_poll(Account& account, int64_t delay_ms);
    void on_poll_done(const std::string& name, PollOutcome outcome);
    // A job's call was refused inside its app's window (core/RateWindow.h): wait for its end.
    void wait_for_gate(Account& account);
    int64_t next_delay_after_poll(const Account& account) const;
    // Keeps the account's habits when a start was learned (at most every kHabitsSaveGapMs) and
    // now and then for the hours watched, never on every poll.
    void maybe_save_habits(const std::string& name, Polls& polls);
    void save_habits(const std::string& name, Polls& polls);

    PlayerStateModule& state_;
    const CommandActivity* commands_ = nullptr;
    HabitsStore* habits_store_ = nullptr;
    std::map<std::string, Polls> polls_;
    std::mt19937 random_{std::random_device{}()};  // jitter of backoffs (not for secrets)
    std::uniform_real_distribution<double> jitter_{0.0, 1.0};
};

}  // namespace s2m
