// The configuration of the bridge (docs/configuration.md#keys) as plain structs with their
// defaults. Loading, environment overrides and validation live in ConfigLoader.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace s2m {

struct MqttConfig {
    std::string url = "mqtt://127.0.0.1:1883";  // mqtt:// or mqtts://
    std::optional<std::string> username;
    std::optional<std::string> password;
    std::optional<std::string> ca_file;      // for mqtts with a private CA
    std::string client_id = "spotify2mqtt";  // stable: the broker keeps our session
    std::string base_topic = "spotify2mqtt";
};

struct HomeAssistantConfig {
    bool discovery = true;
    std::string discovery_prefix = "homeassistant";
    std::string status_topic = "homeassistant/status";
    bool media_player = false;  // also announce for the mqtt_media_player custom component
};

struct SpotifyConfig {
    std::string client_id;                     // empty: nothing can be linked yet
    std::optional<std::string> client_secret;  // absent: PKCE only
    // client_id was set by SPOTIFY2MQTT__SPOTIFY__CLIENT_ID, not the file (the page says which).
    bool client_id_from_environment = false;
    std::string api_url = "https://api.spotify.com/v1";
    std::string accounts_url = "https://accounts.spotify.com";
    std::string redirect_uri = "http://127.0.0.1:8888/callback";
    std::optional<std::string> ca_file;
};

struct WebConfig {
    std::optional<std::string> listen = "127.0.0.1:8888";  // null disables the web page
    // What clients other than this machine type to link, unlink or change the Spotify app
    // (README "Linking"); null: a random code, printed in the log at each start.
    std::optional<std::string> setup_code;
    // Served through Home Assistant's ingress (the add-on, docs/home-assistant-addon.md): the page
    // answers only ingress_proxy, keeps the X-Ingress-Path prefix in its links and forms, and
    // links by pasting the address Spotify sent the browser to.
    bool ingress = false;
    std::string ingress_proxy = "172.30.32.2";  // the Supervisor's ingress proxy
};

struct AccountConfig {
    std::string name;                          // slug [a-z0-9_-]{1,32}
    std::optional<std::string> refresh_token;  // seeds the token store when it has none
    // This account's own Spotify app, when it is not spotify.client_id's (a development-mode app
    // links at most 5 users; more people need more apps). No secret: PKCE.
    std::optional<std::string> client_id;
    std::optional<std::string> client_secret;
};

// polling.daily_budget: below 500 a day even the longest waits would overspend it.
inline constexpr int kMinDailyBudget = 500;
inline constexpr int kMaxDailyBudget = 1000000;

struct PollingConfig {
    // Chosen with bench/listening_day_bench (docs/configuration.md#polling). Paused and idle:
    // the longest wait; the reads come sooner in the hours the account usually starts music.
    int playing_interval_s = 9;
    int paused_interval_s = 30;
    int idle_interval_s = 120;
    // What the bridge may spend a day per account on the reads it makes by itself (commands
    // are not counted): Home Assistant's own integration spends about 3219.
    int daily_budget = 3219;
    // The bridge's own pace for routine reads of all accounts together (commands are not held
    // back). Spotify does not publish its per-app limit; this stays well below what apps see.
    int max_requests_per_minute = 120;
};

// Reads beyond the player state, each of which costs API calls (docs/configuration.md#features).
struct FeaturesConfig {
    bool queue = true;   // <base>/<account>/queue: about one read per track played
    bool liked = true;   // the state's `liked`: one library check per item
    bool recent = true;  // <base>/<account>/recent: at most one read per 10 min of playing
    bool top = true;     // <base>/<account>/top: two reads a day
};

struct Config {
    MqttConfig mqtt;
    HomeAssistantConfig homeassistant;
    SpotifyConfig spotify;
    WebConfig web;
    std::string state_dir = "./state";
    std::vector<AccountConfig> accounts;
    PollingConfig polling;
    FeaturesConfig features;
    std::string log_level = "info";  // trace, debug, info, warning, error

    std::string source;  // where it was read from ("(built-in defaults)" when no file), for logs

    // The Spotify settings `account` uses: spotify.* with the account's own app, if it has one.
    SpotifyConfig spotify_for(const std::string& account) const {
        SpotifyConfig app = spotify;
        for (const AccountConfig& entry : accounts) {
            if (entry.name != account || !entry.client_id) continue;
            app.client_id = *entry.client_id;
            app.client_secret = entry.client_secret;  // another app: never the default's secret
        }
        return app;
    }
};

}  // namespace s2m
