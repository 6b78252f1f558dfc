// Home Assistant (docs/home-assistant.md): MQTT discovery of each account's device and entities,
// the mqtt_media_player announcement when homeassistant.media_player is on (MediaPlayer), and
// HA's birth message, after which everything is announced again. Installed only when
// homeassistant.discovery is on; every Home Assistant publish goes out from here, in answer to
// the core's events. The diagnostics topic HA reads is DiagnosticsModule's (published without
// discovery too).
//
// Thread rule: loop thread only.
#pragma once

#include <map>
#include <optional>
#include <random>
#include <string>

#include "app/BridgeCore.h"
#include "app/modules/MediaPlayer.h"
#include "app/modules/Module.h"
#include "app/modules/PlayerStateModule.h"
#include "ports/JobRunner.h"
#include "ports/Scheduler.h"

namespace s2m {

class HomeAssistantModule : public Module {
  public:
    HomeAssistantModule(BridgeCore& core, Scheduler& loop, JobRunner& workers,
                        const PlayerStateModule& state);

    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;
    void on_account_changed(Account& account) override;
    void on_state_published(Account& account) override;
    void on_republish() override;
    std::vector<std::string> subscriptions() const override;
    bool on_message(const MqttMessage& message) override;  // HA's birth message

  private:
    void publish_discovery(Account& account);  // when changed

    BridgeCore& core_;
    Scheduler& loop_;
    const PlayerStateModule& state_;
    std::optional<MediaPlayer> media_player_;       // homeassistant.media_player
    std::map<std::string, std::string> published_;  // account → the discovery payload last sent
    Scheduler::TimerId birth_timer_ = 0;
    std::mt19937 random_{std::random_device{}()};  // spreads the answers to the birth message
};

}  // namespace s2m
