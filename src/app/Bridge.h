// The bridge: turns Spotify polls into MQTT state and MQTT events into work. A small core
// (app/BridgeCore.h: the accounts, the MQTT session, publishing) and the feature modules it hands
// events to (app/modules/), installed here in order; a setting leaves a module out. This class
// is what the rest of the program sees.
//
// Thread rule: loop thread only, except listener()'s callbacks (any thread: they only post to
// the loop) and health_warnings() (any thread).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/BridgeCore.h"
#include "app/modules/BridgeRequestsModule.h"
#include "app/modules/CommandsModule.h"
#include "app/modules/DiagnosticsModule.h"
#include "app/modules/HomeAssistantModule.h"
#include "app/modules/LibraryModule.h"
#include "app/modules/LikedModule.h"
#include "app/modules/LinkingModule.h"
#include "app/modules/PlayedModule.h"
#include "app/modules/PlayerMemoryModule.h"
#include "app/modules/PlayerStateModule.h"
#include "app/modules/PollingModule.h"
#include "app/modules/RateGates.h"
#include "app/modules/RecentModule.h"
#include "app/modules/ScopesModule.h"
#include "app/modules/SearchModule.h"
#include "app/modules/TokensModule.h"
#include "app/modules/TopModule.h"
#include "app/modules/UpNextModule.h"
#include "config/Config.h"
#include "core/Authorization.h"
#include "core/Metrics.h"
#include "core/SpotifyApp.h"
#include "core/Topics.h"
#include "ports/Clock.h"
#include "ports/JobRunner.h"
#include "ports/LinkPort.h"
#include "ports/MqttPort.h"
#include "ports/PlayerMemoryStore.h"
#include "ports/Scheduler.h"
#include "ports/TokenStore.h"

namespace s2m {

class Bridge {
  public:
    // Every time it reads is `clock`'s and every secret it draws (a link's state and PKCE
    // verifier) comes from `random`; its tasks and timers run on `loop`, its HTTP calls as jobs
    // of `workers` (the daemon: RealClock, secure_random_bytes, EventLoop, WorkerPool). All must
    // outlive it, and `clock` must outlive the jobs too: they read it on the workers' threads.
    // `memory` keeps snapshots and muted volumes (the daemon: FilePlayerMemoryStore).
    Bridge(const Config& config, const Clock& clock, RandomBytes random, Scheduler& loop,
           JobRunner& workers, TokenStore& store, PlayerMemoryStore& memory, Metrics& metrics);

    void set_mqtt(MqttPort& mqtt) { core_.set_mqtt(mqtt); }
    // Keeps each account's listening habits in `store` (the daemon: FileHabitsStore) across
    // restarts; call before start(). save_habits() keeps them now (at shutdown, loop stopped).
    void keep_habits_in(HabitsStore& store) { polling_.keep_habits_in(store); }
    void save_habits() { polling_.save_all_habits(); }
    // What the MQTT adapter calls on its thread (app/BridgeCore.h): the callbacks only post.
    MqttListener& listener() { return core_; }
    // Loads accounts (config seeds + token store) and schedules their first polls.
    void start();

    // Linking (app/modules/LinkingModule.h). The address of Spotify's consent page for a link.
    Result<std::string> begin_link(const std::optional<std::string>& account) {
        return linking_.begin_link(account);
    }
    using LinkDone = LinkingModule::LinkDone;
    // Finishes a link from the redirect's parameters; `done` gets the account name (on the loop).
    void finish_link(const CallbackParams& params, LinkDone done) {
        linking_.finish_link(params, std::move(done));
    }
    // Forgets the account: tokens, polling and its retained topics.
    Status unlink(const std::string& name) { return linking_.unlink(name); }
    std::vector<AccountView> account_views() const { return linking_.account_views(); }

    // The Spotify app in use and where it came from; holds no secret.
    AppView app_view() const;
    // Links and polls with `app` from now on, without a restart (app/BridgeCore.cpp says what
    // happens to accounts linked with another app).
    void use_app(const ChosenApp& app);

    const Topics& topics() const { return core_.topics(); }
    // Problems a person must fix while the bridge still works (a token that cannot be saved),
    // one sentence each. Any thread: /healthz reads it without waiting for the loop.
    std::vector<std::string> health_warnings() const { return tokens_.health_warnings(); }
    bool mqtt_connected() const { return core_.mqtt_connected(); }

  private:
    BridgeCore core_;
    TokenStore& store_;
    RateGates gates_;
    // The modules; Bridge's constructor installs them in the order they get events.
    TokensModule tokens_;
    LinkingModule linking_;
    PlayerStateModule state_;
    PollingModule polling_;
    PlayerMemoryModule player_memory_;
    CommandsModule commands_;
    SearchModule search_;
    LibraryModule library_;
    BridgeRequestsModule requests_;
    DiagnosticsModule diagnostics_;
    ScopesModule scopes_;
    PlayedModule played_;
    std::optional<UpNextModule> up_next_;                // features.queue
    std::optional<LikedModule> liked_;                   // features.liked
    std::optional<RecentModule> recent_;                 // features.recent
    std::optional<TopModule> top_;                       // features.top
    std::optional<HomeAssistantModule> home_assistant_;  // homeassistant.discovery
    AppSource app_source_ = AppSource::None;             // where the config's client id came from
};

}  // namespace s2m
