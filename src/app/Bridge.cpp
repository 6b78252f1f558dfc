#include "app/Bridge.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace s2m {

Bridge::Bridge(const Config& config, const Clock& clock, RandomBytes random, Scheduler& loop,
               JobRunner& workers, TokenStore& store, PlayerMemoryStore& memory, Metrics& metrics)
    : core_(config, clock, loop, metrics),
      store_(store),
      gates_(core_, loop, metrics),
      tokens_(core_, loop, store, metrics),
      linking_(core_, loop, workers, store, std::move(random)),
      state_(core_),
      polling_(JobPorts{core_, loop, workers, metrics, gates_, tokens_}, state_),
      player_memory_(core_, memory),
      commands_(JobPorts{core_, loop, workers, metrics, gates_, tokens_}, state_, polling_,
                player_memory_),
      search_(JobPorts{core_, loop, workers, metrics, gates_, tokens_}, polling_),
      library_(JobPorts{core_, loop, workers, metrics, gates_, tokens_}, polling_),
      requests_(core_, gates_),
      diagnostics_(core_, gates_),
      scopes_(core_),
      played_(core_) {
    polling_.set_commands(commands_);
    for (Module* module : std::initializer_list<Module*>{
             &tokens_, &linking_, &state_, &polling_, &player_memory_, &commands_, &search_,
             &library_, &diagnostics_, &scopes_, &played_})
        core_.install(*module);
    if (config.features.queue) {
        core_.install(
            up_next_.emplace(JobPorts{core_, loop, workers, metrics, gates_, tokens_}, state_));
    }
    if (config.features.liked) {
        core_.install(
            liked_.emplace(JobPorts{core_, loop, workers, metrics, gates_, tokens_}, state_));
    }
    if (config.features.recent) {
        core_.install(
            recent_.emplace(JobPorts{core_, loop, workers, metrics, gates_, tokens_}, state_));
    }
    if (config.features.top) {
        core_.install(top_.emplace(JobPorts{core_, loop, workers, metrics, gates_, tokens_}));
    }
    if (config.homeassistant.discovery) {
        core_.install(home_assistant_.emplace(core_, loop, workers, state_));
    }
    // Last: it answers every bridge request no module before it took (with "unknown").
    core_.install(requests_);
}

void Bridge::start() {
    const Config& config = core_.config();
    for (const AccountConfig& configured : config.accounts) {
        std::optional<AccountRecord> record = store_.load(configured.name);
        if (!record && configured.refresh_token) {
            // A seeded token is used only when the store has none; the stored one wins later.
            AccountRecord seeded;
            seeded.name = configured.name;
            seeded.refresh_token = *configured.refresh_token;
            seeded.linked_at_ms = core_.clock().now_ms();
            if (auto saved = store_.save(seeded); !saved) {
                spdlog::error("{}: cannot store the seeded token: {}", configured.name,
                              saved.error().message);
            }
            record = seeded;
            spdlog::info("{}: seeded from the config's refresh_token", configured.name);
        }
        core_.add_account(configured.name, record);
    }
    for (AccountRecord& record : store_.load_all()) {
        if (!core_.find(record.name)) core_.add_account(record.name, record);
    }
    if (core_.accounts().empty()) {
        spdlog::warn(
            "no Spotify account is linked yet{}",
            config.spotify.client_id.empty()
                ? ", and " + core_.no_app_message() + " (redirect URI " +
                      config.spotify.redirect_uri +
                      "), then link an account there. To try the bridge without Spotify: "
                      "scripts/run.sh --demo"
                : ". Link one with `spotify2mqtt link` or on the web page" +
                      (config.web.listen ? " http://" + *config.web.listen + "/" : std::string()));
    }
    MediaPlayer::warn_about_config(config);
    core_.notify([](Module& module) { module.on_start(); });
}

AppView Bridge::app_view() const {
    const Config& config = core_.config();
    AppView view;
    view.client_id = config.spotify.client_id;
    view.has_secret = config.spotify.client_secret && !config.spotify.client_secret->empty();
    view.source = app_source_;
    view.config_file = config.source;
    return view;
}

void Bridge::use_app(const ChosenApp& app) {
    app_source_ = app.source;
    core_.switch_app(app);
}

}  // namespace s2m
