// The bridge: turns Spotify polls into MQTT state and MQTT events into work. Every member runs on
// the loop thread, except the MqttListener callbacks, which only post to the loop.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "adapters/system/SecureRandom.h"
#include "app/Account.h"
#include "app/CommandJob.h"
#include "app/LinkJob.h"
#include "app/PollJob.h"
#include "config/Config.h"
#include "core/Authorization.h"
#include "core/CommandIntake.h"
#include "core/Metrics.h"
#include "core/RateGate.h"
#include "core/RateWindow.h"
#include "core/SpotifyApp.h"
#include "core/Topics.h"
#include "ports/Clock.h"
#include "ports/JobRunner.h"
#include "ports/LinkPort.h"
#include "ports/MqttPort.h"
#include "ports/Scheduler.h"
#include "ports/TokenStore.h"

namespace s2m {

// The rate-limit gate of one Spotify app and the polls waiting for it, first come first served
// (a big first poll of one account is not starved by the small polls of another), with the timer
// for the first in line.
struct AppGate {
    RateGate gate;
    std::deque<std::pair<std::string, double>> queue;  // account name, calls it will make
    Scheduler::TimerId timer = 0;
    // The 429 window as the app's running jobs see it: kept at least as closed as `gate`.
    std::shared_ptr<RateWindow> window = std::make_shared<RateWindow>();
};

class Bridge : public MqttListener {
  public:
    // Every time it reads is `clock`'s; its tasks and timers run on `loop`, its HTTP calls as
    // jobs of `workers` (the daemon: RealClock, EventLoop, WorkerPool). All must outlive it, and
    // `clock` must outlive the jobs too: they read it on the workers' threads.
    Bridge(const Config& config, const Clock& clock, Scheduler& loop, JobRunner& workers,
           TokenStore& store, Metrics& metrics);

    void set_mqtt(MqttPort& mqtt) { mqtt_ = &mqtt; }
    // Loads accounts (config seeds + token store) and schedules their first polls.
    void start();

    // MqttListener: called on Paho's thread; only posts.
    void on_connected() override;
    void on_connection_lost(const std::string& cause) override;
    void on_message(MqttMessage message) override;
    void on_subscribed() override;

    // Linking (BridgeLinking.cpp). The address of Spotify's consent page for a new link.
    Result<std::string> begin_link(const std::optional<std::string>& account);
    using LinkDone = std::function<void(Result<std::string>)>;
    // Finishes a link from the redirect's parameters; `done` gets the account name (on the loop).
    void finish_link(const CallbackParams& params, LinkDone done);
    // Forgets the account: tokens, polling and its retained topics.
    Status unlink(const std::string& name);
    std::vector<AccountView> account_views() const;

    // The Spotify app in use and where it came from (BridgeApp.cpp); holds no secret.
    AppView app_view() const;
    // Links and polls with `app` from now on, without a restart (BridgeApp.cpp says what happens
    // to accounts linked with another app).
    void use_app(const ChosenApp& app);

    const Topics& topics() const { return topics_; }
    // Problems a person must fix while the bridge still works (a token that cannot be saved),
    // one sentence each. Any thread: /healthz reads it without waiting for the loop.
    std::vector<std::string> health_warnings() const;
    bool mqtt_connected() const { return mqtt_session_up_ && mqtt_ && mqtt_->connected(); }

  private:
    void handle_connected();
    void handle_message(const MqttMessage& message);
    void handle_bridge_request(const std::string& name, const std::string& payload);

    // Commands (BridgeCommands.cpp).
    void handle_set(const std::string& account, const std::string& key, const MqttMessage& message);
    void handle_get(const std::string& account);
    std::optional<CommandError> refuse_now(const Account& account, const CommandSet& commands,
                                           int64_t received_ms) const;
    void answer_refusal(Account& account, const std::optional<nlohmann::json>& transaction,
                        const CommandError& refusal);
    void dispatch_commands(Account& account);
    void on_command_done(const std::string& name, PendingCommand command, CommandOutcome outcome);
    void apply_fetched(Account& account, CommandOutcome& outcome);
    void apply_profile(Account& account, const UserProfile& profile, int64_t read_at_ms);
    void recheck_plan(Account& account);  // after premium_required: upgraded meanwhile?
    void confirm_after_command(Account& account, const CommandSet& commands,
                               const CommandPlan& plan, bool partial);
    void respond(const std::string& account, const std::optional<nlohmann::json>& transaction,
                 const std::optional<CommandError>& error);

    // `how` starts the log line ("linked; polling starts").
    void add_account(const std::string& name, std::optional<AccountRecord> record,
                     std::string_view how = "linked");
    // False (with the account's availability saying why) when its tokens cannot be used with
    // its app: no app yet, or linked with another one.
    bool app_fits(Account& account);
    std::string no_app_message() const;  // what to do, and where
    void complete_link(const PendingAuthorization& pending, Result<RedeemedCode> redeemed,
                       const LinkDone& done);
    // A new or renewed link: (re)start polling, and say so once.
    void adopt_record(AccountRecord record, std::string_view how = "linked");
    void start_watchers();        // the two below, from start()
    void check_refresh_expiry();  // warns 14 days ahead; re-arms itself
    void warn_if_expiring(Account& account);
    void rescan_store();  // links made by another process; re-arms itself
    void warn_if_linked_twice(const Account& account);  // another name holds its Spotify user
    void schedule_poll(Account& account, int64_t delay_ms);
    void poll_now(Account& account);
    // Rate-limit gates, one per Spotify app (BridgeRateGate.cpp).
    AppGate& gate_of(const Account& account);
    int64_t rate_limited_until_ms(const Account& account) const;  // 0: not limited
    bool take_poll_slot(const Account& account, double calls);    // false: queued for the gate
    void arm_gate_timer(const std::string& app);
    void on_poll_done(const std::string& name, PollOutcome outcome);
    void apply_grant(Account& account, const std::optional<TokenGrant>& grant,
                     int64_t received_at_ms);
    void apply_player(Account& account, PlaybackState state);
    void apply_failure(Account& account, const Error& error);
    void apply_rate_limit(Account& account, const Error& error);  // Spotify answered 429
    void show_rate_limited(Account& account, int64_t until_ms, const std::string& message);
    // A job's call was refused inside its app's window (core/RateWindow.h): wait for its end.
    void wait_for_gate(Account& account);
    int64_t next_delay_after_poll(const Account& account) const;

    // Home Assistant (BridgeHomeAssistant.cpp).
    void publish_home_assistant(Account& account);  // discovery + diagnostics, when changed
    void publish_diagnostics(Account& account);
    void republish_home_assistant();  // forced: after a connect or HA's birth message
    void handle_ha_status(const std::string& payload);
    void clear_home_assistant(const std::string& name);

    // mqtt_media_player (BridgeMediaPlayer.cpp): announcement and values, when changed.
    bool media_player_enabled() const;
    void warn_about_media_player_config() const;
    void publish_media_player(Account& account);
    void force_media_player(Account& account);  // after a connect or HA's birth message
    void fetch_album_art(const std::string& name, const std::string& url);
    void clear_media_player(const std::string& name);

    // The token store (BridgeTokenSaving.cpp): saves the account's record; a failure is shown
    // everywhere and retried with backoff while the newest token stays in memory.
    void save_record(Account& account);
    void store_failed(Account& account, const Error& error);
    void store_recovered(Account& account);
    void show_store_state(Account& account);  // availability, info, diagnostics, /healthz
    void refresh_health_warnings();
    std::string shown_availability(const Account& account) const;

    void set_availability(Account& account, Availability availability);
    void publish_account(const Account& account);  // everything retained for one account
    void publish_info();
    void publish_event(const std::string& type, const std::string& account,
                       const std::string& message);
    void publish(const std::string& topic, const std::string& payload, bool retained);

    Config config_;
    Topics topics_;
    const Clock& clock_;
    Scheduler& loop_;
    JobRunner& workers_;
    TokenStore& store_;
    Metrics& metrics_;
    MqttPort* mqtt_ = nullptr;
    // Set once handle_connected has subscribed on the current connection (cleared when it is
    // lost). Paho may already be connected before that task runs; publishing in between would
    // show a state to clients whose commands the bridge is not yet subscribed to receive.
    bool mqtt_session_up_ = false;
    std::map<std::string, Account> accounts_;
    // Spotify's rate limit is per app (client id): one gate per app, shared by its accounts.
    std::map<std::string, AppGate> gates_;
    AppSource app_source_ = AppSource::None;  // where config_.spotify's client id came from

    Scheduler::TimerId ha_birth_timer_ = 0;
    std::mt19937 random_{std::random_device{}()};  // jitter of backoffs (not for secrets)
    std::uniform_real_distribution<double> jitter_{0.0, 1.0};
    CommandIntake intake_;  // redeliveries and commands replayed from the session
    std::string last_info_;
    std::deque<std::string> pending_events_;  // raised while disconnected
    PendingAuthorizations pending_links_{secure_random_bytes};
    static constexpr size_t kMaxPendingEvents = 50;
    mutable std::mutex health_mutex_;  // guards health_warnings_ (read by the web threads)
    std::vector<std::string> health_warnings_;
};

}  // namespace s2m
