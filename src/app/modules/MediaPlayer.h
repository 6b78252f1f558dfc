// The opt-in announcement for the mqtt_media_player custom component (docs/home-assistant.md,
// homeassistant.media_player) and the plain values it reads below <base>/<account>/media/. What
// the component expects, and why the values look as they do, is in core/MediaPlayerDiscovery.h.
// Everything is cached per account and published only when it changes; the cover is downloaded
// on a worker because the component wants the image itself. Part of HomeAssistantModule, which
// has one only when the setting is on.
//
// Thread rule: loop thread only; the cover download runs in the account's "cover/" worker lane
// and posts its result back.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "app/BridgeCore.h"
#include "app/modules/PlayerStateModule.h"
#include "ports/JobRunner.h"
#include "ports/Scheduler.h"

namespace s2m {

// The fields HA's discovery and the media player's announcement share (core/Discovery.h,
// core/MediaPlayerDiscovery.h): where, whose, and whether it may be controlled.
template <typename Input>
Input announcement_input(const Config& config, const Account& account) {
    Input input;
    input.prefix = config.homeassistant.discovery_prefix;
    input.base_topic = config.mqtt.base_topic;
    input.account = account.name;
    input.version = SPOTIFY2MQTT_VERSION;
    if (account.record) {
        input.display_name = account.record->display_name;
        input.premium = account.record->premium;
    }
    return input;
}

class MediaPlayer {
  public:
    MediaPlayer(BridgeCore& core, Scheduler& loop, JobRunner& workers,
                const PlayerStateModule& state)
        : core_(core), loop_(loop), workers_(workers), state_(state) {}

    // Warns when the setting cannot work as configured (a log line at start).
    static void warn_about_config(const Config& config);

    void publish(Account& account);  // announcement and values, when changed
    void force(Account& account);    // after a connect or HA's birth message
    void clear(const std::string& name);

  private:
    struct Shown {
        std::string discovery;                      // the announcement last sent
        std::map<std::string, std::string> values;  // topic → payload
        bool forced = false;                        // publish every value once more
        std::optional<std::string> art_url;         // the cover on media/albumart (or on its way)
    };

    void fetch_album_art(const std::string& name, const std::string& url);

    BridgeCore& core_;
    Scheduler& loop_;
    JobRunner& workers_;
    const PlayerStateModule& state_;
    std::map<std::string, Shown> shown_;
};

}  // namespace s2m
