#include "core/SpotifyApp.h"

#include <algorithm>

namespace s2m {

namespace {
constexpr size_t kMaxLength = 128;  // Spotify's are 32 hex digits; room for other formats

bool is_plain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}
}  // namespace

std::string_view app_source_name(AppSource source) {
    switch (source) {
        case AppSource::ConfigFile:
            return "config";
        case AppSource::EnvVariable:
            return "environment";
        case AppSource::Page:
            return "page";
        case AppSource::None:
            break;
    }
    return "none";
}

ChosenApp choose_app(const SpotifyConfig& configured, const std::optional<StoredApp>& stored) {
    if (!configured.client_id.empty()) {
        return ChosenApp{
            configured.client_id, configured.client_secret,
            configured.client_id_from_environment ? AppSource::EnvVariable : AppSource::ConfigFile};
    }
    if (stored && !stored->client_id.empty()) {
        return ChosenApp{stored->client_id, stored->client_secret, AppSource::Page};
    }
    return ChosenApp{};
}

std::optional<std::string> check_app_client_id(std::string_view client_id) {
    if (client_id.empty()) {
        return "The Client ID is empty: copy it from your app's page in the Spotify dashboard.";
    }
    if (client_id.size() > kMaxLength ||
        !std::all_of(client_id.begin(), client_id.end(), is_plain)) {
        return "That is not a Client ID (Spotify's are 32 letters and digits): copy it from your "
               "app's page in the Spotify dashboard.";
    }
    return std::nullopt;
}

std::optional<std::string> check_app_client_secret(std::string_view secret) {
    if (secret.size() > kMaxLength || !std::all_of(secret.begin(), secret.end(), is_plain)) {
        return "That is not a Client Secret (Spotify's are 32 letters and digits): copy it from "
               "your app's settings, or leave the field empty to use PKCE alone.";
    }
    return std::nullopt;
}

}  // namespace s2m
