// Bridge: Home Assistant discovery (SPEC §5) and the diagnostics topic it reads. Both payloads
// are cached per account and published only when they change, so calling these after anything
// that might matter is cheap; a (re)connect or HA's birth message forces them out again.
#include <spdlog/spdlog.h>

#include <random>

#include "app/Bridge.h"
#include "core/Discovery.h"

namespace s2m {

namespace {
// HA's birth message reaches every bridge at once: spread the answers out.
constexpr int kBirthDelayMinMs = 500;
constexpr int kBirthDelayMaxMs = 3000;
}  // namespace

void Bridge::publish_home_assistant(Account& account) {
    publish_diagnostics(account);
    publish_media_player(account);
    if (!config_.homeassistant.discovery) return;
    DiscoveryInput input;
    input.prefix = config_.homeassistant.discovery_prefix;
    input.base_topic = config_.mqtt.base_topic;
    input.account = account.name;
    input.version = SPOTIFY2MQTT_VERSION;
    if (account.record) {
        input.display_name = account.record->display_name;
        input.premium = account.record->premium;
    }
    if (account.devices) input.devices = *account.devices;
    if (account.playlists) input.playlists = *account.playlists;
    // The account page, when a browser elsewhere could reach it (not a wildcard address).
    if (config_.web.listen && !config_.web.listen->starts_with("0.0.0.0") &&
        !config_.web.listen->starts_with("[::]")) {
        input.configuration_url = "http://" + *config_.web.listen + "/";
    }
    std::string payload = discovery_payload(input).dump();
    if (payload == account.published_discovery) return;
    account.published_discovery = payload;
    publish(discovery_topic(input.prefix, account.name), payload, true);
}

void Bridge::publish_diagnostics(Account& account) {
    Diagnostics d;
    d.status = account.status();
    if (!account.last_error.empty()) d.last_error = account.last_error;
    if (account.store_error) d.last_error = *account.store_error;  // the one a person must fix
    if (int64_t until = gate_of(account).gate.closed_until_ms(); until > 0)
        d.rate_limited_until_ms = until;
    if (account.record && account.record->linked_at_ms > 0)
        d.refresh_token_expires_at_ms = account.record->linked_at_ms + kRefreshTokenLifetimeMs;
    std::string payload = diagnostics_payload(d, clock_.now_ms()).dump();
    if (payload == account.published_diagnostics) return;
    account.published_diagnostics = payload;
    publish(topics_.account(account.name) + "/diagnostics", payload, true);
}

void Bridge::republish_home_assistant() {
    for (auto& [name, account] : accounts_) {
        account.published_discovery.clear();
        account.published_diagnostics.clear();
        force_media_player(account);
        publish_home_assistant(account);
    }
}

// HA publishes "online" on its status topic when it starts: it has forgotten every entity, so
// announce again (and the retained state follows from the broker).
void Bridge::handle_ha_status(const std::string& payload) {
    if (payload != "online" || !config_.homeassistant.discovery) return;
    int delay = std::uniform_int_distribution<int>(kBirthDelayMinMs, kBirthDelayMaxMs)(random_);
    spdlog::info("Home Assistant is online: announcing the accounts again in {} ms", delay);
    loop_.cancel(ha_birth_timer_);
    ha_birth_timer_ = loop_.post_after(std::chrono::milliseconds(delay), [this] {
        republish_home_assistant();
        for (const auto& [name, account] : accounts_) publish_account(account);
    });
}

void Bridge::clear_home_assistant(const std::string& name) {
    publish(topics_.account(name) + "/diagnostics", "", true);
    clear_media_player(name);
    if (config_.homeassistant.discovery)
        publish(discovery_topic(config_.homeassistant.discovery_prefix, name), "", true);
}

}  // namespace s2m
