// The bridge core: the accounts (only what every module needs, app/Account.h), the MQTT session
// and publishing (the session-up gate, bridge/info, bridge/event with the events raised while
// the broker is away), and the events it hands to the installed modules in order
// (app/modules/Module.h). Everything else is a module's. It is the MQTT adapter's listener, so a
// message goes from the adapter to on_message() here, then to the modules on the loop.
//
// Thread rule: loop thread only, except the MqttListener callbacks (any thread: they only post
// to the loop).
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/Account.h"
#include "app/modules/Module.h"
#include "config/Config.h"
#include "core/Metrics.h"
#include "core/SpotifyApp.h"
#include "core/Topics.h"
#include "ports/Clock.h"
#include "ports/LinkPort.h"
#include "ports/MqttPort.h"
#include "ports/Scheduler.h"

namespace s2m {

class BridgeCore : public MqttListener {
  public:
    // Every module reads the time from `clock` (ports/Clock.h), the jobs on the workers too;
    // the MQTT callbacks run on `loop`.
    BridgeCore(const Config& config, const Clock& clock, Scheduler& loop, Metrics& metrics);

    // Modules keep a reference: use_app() changes the Spotify app in place.
    const Config& config() const { return config_; }
    const Topics& topics() const { return topics_; }
    const Clock& clock() const { return clock_; }
    void set_mqtt(MqttPort& mqtt) { mqtt_ = &mqtt; }
    bool mqtt_connected() const { return session_up_ && mqtt_ && mqtt_->connected(); }

    // Modules get every event in the order they were installed; they outlive the core's use.
    void install(Module& module) { modules_.push_back(&module); }
    template <typename Event>
    void notify(const Event& event) {
        for (Module* module : modules_) event(*module);
    }
    void account_changed(Account& account) {
        notify([&](Module& module) { module.on_account_changed(account); });
    }

    std::map<std::string, Account>& accounts() { return accounts_; }
    Account* find(const std::string& name);
    // `how` starts the log line ("linked; polling starts").
    void add_account(const std::string& name, std::optional<AccountRecord> record,
                     std::string_view how = "linked");
    // Forgets the account and clears its retained topics (the modules clear theirs).
    void remove_account(const std::string& name);
    // Links and polls with `app` from now on; accounts linked with another app must link again.
    void switch_app(const ChosenApp& app);
    std::string no_app_message() const;  // what to do, and where

    void publish(const std::string& topic, const std::string& payload, bool retained);
    void publish_info();
    void publish_event(const std::string& type, const std::string& account,
                       const std::string& message);
    // An event with fields of its own ({"type","account",…}, docs/mqtt.md#bridge-events).
    void publish_event(const nlohmann::json& event);
    void set_availability(Account& account, Availability availability);
    void publish_availability(const Account& account);
    void publish_accounts();  // everything retained for every account

    // MqttListener: called on the adapter's thread; each only posts its task to the loop, where
    // the modules hear of it.
    void on_connected() override;
    void on_connection_lost(const std::string& cause) override;
    void on_message(MqttMessage message) override;
    void on_subscribed() override;

  private:
    // False (with the account's availability saying why) when its tokens cannot be used with
    // its app: no app yet, or linked with another one.
    bool app_fits(Account& account);

    Config config_;
    Topics topics_;
    const Clock& clock_;
    Scheduler& loop_;
    Metrics& metrics_;
    MqttPort* mqtt_ = nullptr;
    // Set once on_connected()'s task has subscribed on the current connection (cleared when it
    // is lost). Paho may already be connected before that task runs; publishing in between would
    // show a state to clients whose commands the bridge is not yet subscribed to receive.
    bool session_up_ = false;
    std::vector<Module*> modules_;
    std::map<std::string, Account> accounts_;
    std::string last_info_;
    std::deque<std::string> pending_events_;  // raised while disconnected
    static constexpr size_t kMaxPendingEvents = 50;
};

}  // namespace s2m
