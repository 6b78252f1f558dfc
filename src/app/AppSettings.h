// The Spotify app entered on the account page: read at start, saved and switched to when the page
// sends a new one (README "Linking"). The config file and the environment win; while they set
// spotify.client_id the page only shows it.
#pragma once

#include "app/Bridge.h"
#include "config/Config.h"
#include "core/SpotifyApp.h"
#include "ports/AppStore.h"

namespace s2m {

// `config` with the page's saved app (from `store`) in spotify.* when the config and the
// environment set none (for `spotify2mqtt link`, which runs apart from the bridge).
Config with_page_app(const Config& config, const AppStore& store);

class AppSettings {
  public:
    AppSettings(const SpotifyConfig& configured, AppStore& store)
        : configured_(configured), store_(store) {}

    // The app to start with.
    ChosenApp initial() const { return choose_app(configured_, store_.load()); }

    // On the loop thread: checks what was typed, saves it (0600) and hands it to the bridge.
    Status save(Bridge& bridge, StoredApp app);

  private:
    SpotifyConfig configured_;
    AppStore& store_;
};

}  // namespace s2m
