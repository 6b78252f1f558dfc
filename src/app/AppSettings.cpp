#include "app/AppSettings.h"

#include <spdlog/spdlog.h>

namespace s2m {

Config with_page_app(const Config& config, const AppStore& store) {
    Config effective = config;
    ChosenApp app = choose_app(config.spotify, store.load());
    effective.spotify.client_id = app.client_id;
    effective.spotify.client_secret = app.client_secret;
    return effective;
}

Status AppSettings::save(Bridge& bridge, StoredApp app) {
    if (!configured_.client_id.empty()) {
        return Error{ErrorKind::Refused,
                     configured_.client_id_from_environment
                         ? "SPOTIFY2MQTT__SPOTIFY__CLIENT_ID sets the Spotify app; change it there"
                         : "spotify.client_id in the config sets the Spotify app; change it there"};
    }
    if (auto problem = check_app_client_id(app.client_id)) {
        return Error{ErrorKind::Refused, *problem};
    }
    if (app.client_secret && app.client_secret->empty()) app.client_secret.reset();
    if (app.client_secret) {
        if (auto problem = check_app_client_secret(*app.client_secret)) {
            return Error{ErrorKind::Refused, *problem};
        }
    }
    if (auto saved = store_.save(app); !saved) {
        spdlog::error("Spotify app: {}", saved.error().message);
        return saved.error();
    }
    spdlog::info("Spotify app set on the account page: client id {}, {} (saved in {})",
                 app.client_id, app.client_secret ? "with a client secret" : "PKCE only",
                 store_.path());
    bridge.use_app(choose_app(configured_, app));
    return ok_status();
}

}  // namespace s2m
