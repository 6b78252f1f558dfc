// Which Spotify app (client id, optional secret) the bridge uses, and where it came from. The
// config file and the environment win over what was entered on the account page, so a setting a
// person wrote down is never silently replaced (README "Linking"). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/Config.h"

namespace s2m {

enum class AppSource { None, ConfigFile, EnvVariable, Page };

// "config", "environment", "page" or "none": the word the page and the log use.
std::string_view app_source_name(AppSource source);

// What the page stored in state_dir.
struct StoredApp {
    std::string client_id;
    std::optional<std::string> client_secret;  // absent: PKCE only
};

struct ChosenApp {
    std::string client_id;  // empty: no app yet
    std::optional<std::string> client_secret;
    AppSource source = AppSource::None;
};

// spotify.client_id (with its secret) when the config or the environment sets it, else the
// page's stored app, else none.
ChosenApp choose_app(const SpotifyConfig& configured, const std::optional<StoredApp>& stored);

// Problems with what a person typed into the form, as a sentence; nullopt when fine.
std::optional<std::string> check_app_client_id(std::string_view client_id);
std::optional<std::string> check_app_client_secret(std::string_view secret);

}  // namespace s2m
