#include "programs/App.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "adapters/http/CurlHttpClient.h"
#include "adapters/http/MeteredHttpClient.h"
#include "adapters/mqtt/PahoMqtt.h"
#include "adapters/store/FileAppStore.h"
#include "adapters/store/FileHabitsStore.h"
#include "adapters/store/FilePlayerMemoryStore.h"
#include "adapters/store/FileTokenStore.h"
#include "adapters/system/OpenFiles.h"
#include "adapters/system/ProcessStats.h"
#include "adapters/system/SecureRandom.h"
#include "adapters/system/SystemdNotify.h"
#include "adapters/web/WebServer.h"
#include "app/AppSettings.h"
#include "app/Bridge.h"
#include "app/BridgeClock.h"
#include "app/LoopLinkService.h"
#include "app/WorkerPool.h"
#include "config/Cli.h"

namespace s2m {

namespace {
constexpr int kShutdownTimeoutMs = 3000;

// Under systemd's watchdog (WatchdogSec=): WATCHDOG=1 from a loop timer, so systemd restarts a
// bridge whose loop has hung, not only one that has died.
void keep_watchdog_fed(EventLoop& loop, const SystemdNotifier& systemd) {
    auto every = systemd.watchdog_every();
    if (!every) return;
    systemd.notify("WATCHDOG=1");
    loop.post_after(*every, [&loop, &systemd] { keep_watchdog_fed(loop, systemd); });
}
}  // namespace

int App::run() {
    std::unique_ptr<FileTokenStore> store;
    try {
        store = std::make_unique<FileTokenStore>(config_.state_dir);
    } catch (const std::exception& e) {
        spdlog::critical("state_dir {} is not usable: {}", config_.state_dir, e.what());
        return kExitCantCreate;
    }
    CurlOptions curl;
    curl.ca_file = config_.spotify.ca_file;
    Metrics metrics;
    collect_process_stats(metrics);
    // Before the workers: a job still running when they stop reads it.
    RealClock clock;
    // Threads per busy lane (app/WorkerPool.h): as many as the accounts' work at once needs.
    WorkerPool workers([&] {
        return std::make_unique<MeteredHttpClient>(std::make_unique<CurlHttpClient>(curl), metrics);
    });
    FilePlayerMemoryStore player_memory(config_.state_dir);  // state_dir is usable: checked above
    FileHabitsStore habits(config_.state_dir);               // outlives the bridge that uses it
    Bridge bridge(config_, clock, secure_random_bytes, loop_, workers, *store, player_memory,
                  metrics);
    bridge.keep_habits_in(habits);
    PahoMqtt mqtt(config_.mqtt, LastWill{bridge.topics().bridge_state(), R"({"state":"offline"})"},
                  bridge.listener());
    bridge.set_mqtt(mqtt);

    spdlog::info("spotify2mqtt {} starting (config: {}, broker: {}, base topic: {})",
                 SPOTIFY2MQTT_VERSION, config_.source, config_.mqtt.url, config_.mqtt.base_topic);
    spdlog::info("local time: {}; listening habits count its hours (TZ sets the zone)",
                 local_zone_description(unix_now_ms()));
    raise_open_file_limit();
    FileAppStore app_store(config_.state_dir);
    AppSettings app_settings(config_.spotify, app_store);
    ChosenApp app = app_settings.initial();
    if (app.source == AppSource::None) {
        spdlog::warn("no Spotify app is set up yet; the account page asks for one");
    } else {
        spdlog::info("Spotify app: client id {} from the {}{}", app.client_id,
                     app_source_name(app.source),
                     app.client_secret ? ", with a client secret" : ", PKCE only");
    }
    loop_.post([&bridge, app] {
        bridge.use_app(app);
        bridge.start();
    });
    LoopLinkService link_service(loop_, bridge, app_settings);
    WebServer web(config_, link_service, metrics);
    web.start();
    mqtt.start();
    // Type=notify: started once the account page listens and the broker connection is under
    // way (the bridge itself retries the broker; systemd need not wait for it).
    SystemdNotifier systemd;
    loop_.post([&] {
        systemd.notify("READY=1\nSTATUS=running; see /healthz for the broker connection");
        keep_watchdog_fed(loop_, systemd);
    });
    loop_.run();
    systemd.notify("STOPPING=1");
    bridge.save_habits();  // the loop has stopped: nothing else touches the schedules now
    web.stop();            // before the bridge goes: its handlers call into it

    spdlog::info("stopping: publishing offline state");
    mqtt.close({MqttMessage{bridge.topics().bridge_state(), R"({"state":"offline"})", true}},
               kShutdownTimeoutMs);
    return 0;
}

}  // namespace s2m
