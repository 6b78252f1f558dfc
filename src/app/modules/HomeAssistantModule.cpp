#include "app/modules/HomeAssistantModule.h"

#include <spdlog/spdlog.h>

#include "core/Discovery.h"

namespace s2m {

namespace {
// HA's birth message reaches every bridge at once: spread the answers out.
constexpr int kBirthDelayMinMs = 500;
constexpr int kBirthDelayMaxMs = 3000;
}  // namespace

HomeAssistantModule::HomeAssistantModule(BridgeCore& core, Scheduler& loop, JobRunner& workers,
                                         const PlayerStateModule& state)
    : core_(core), loop_(loop), state_(state) {
    if (core.config().homeassistant.media_player) media_player_.emplace(core, loop, workers, state);
}

void HomeAssistantModule::on_account_added(Account& account) {
    published_[account.name].clear();
}

void HomeAssistantModule::on_account_removed(const std::string& name) {
    published_.erase(name);
    if (media_player_) media_player_->clear(name);
    core_.publish(discovery_topic(core_.config().homeassistant.discovery_prefix, name), "", true);
}

void HomeAssistantModule::on_account_changed(Account& account) {
    if (media_player_) media_player_->publish(account);
    publish_discovery(account);
}

void HomeAssistantModule::on_state_published(Account& account) {
    if (media_player_) media_player_->publish(account);
}

void HomeAssistantModule::on_republish() {
    for (auto& [name, account] : core_.accounts()) {
        published_[name].clear();
        if (media_player_) media_player_->force(account);
        publish_discovery(account);
    }
}

std::vector<std::string> HomeAssistantModule::subscriptions() const {
    return {core_.config().homeassistant.status_topic};
}

// HA publishes "online" on its status topic when it starts: it has forgotten every entity, so
// announce again (and the retained state follows from the broker).
bool HomeAssistantModule::on_message(const MqttMessage& message) {
    if (message.topic != core_.config().homeassistant.status_topic) return false;
    if (message.payload != "online") return true;
    int delay = std::uniform_int_distribution<int>(kBirthDelayMinMs, kBirthDelayMaxMs)(random_);
    spdlog::info("Home Assistant is online: announcing the accounts again in {} ms", delay);
    loop_.cancel(birth_timer_);
    birth_timer_ = loop_.post_after(std::chrono::milliseconds(delay), [this] {
        core_.notify([](Module& module) { module.on_republish(); });
        core_.publish_accounts();
    });
    return true;
}

void HomeAssistantModule::publish_discovery(Account& account) {
    const Config& config = core_.config();
    const Seen& seen = state_.seen(account.name);
    auto input = announcement_input<DiscoveryInput>(config, account);
    if (seen.devices) input.devices = *seen.devices;
    if (seen.playlists) input.playlists = *seen.playlists;
    if (account.record) input.user_id = account.record->user_id;
    input.up_next = config.features.queue;
    input.last_played = config.features.recent;
    // The account page, when a browser elsewhere could reach it (not a wildcard address).
    if (config.web.listen && !config.web.listen->starts_with("0.0.0.0") &&
        !config.web.listen->starts_with("[::]")) {
        input.configuration_url = "http://" + *config.web.listen + "/";
    }
    std::string payload = discovery_payload(input).dump();
    std::string& last = published_[account.name];
    if (payload == last) return;
    last = payload;
    core_.publish(discovery_topic(input.prefix, account.name), payload, true);
}

}  // namespace s2m
