// A feature of the bridge (polling, commands, Home Assistant, ...), in the spirit of zigbee2mqtt's
// extensions: it owns its slice of per-account data and reacts to the events the bridge core
// (app/BridgeCore.h) hands to every installed module, in installation order. A setting turns a
// feature off by not installing its module. Every event has an empty default, so a module
// overrides only what it reacts to, and a new feature is a new module.
//
// Thread rule: loop thread only, like every event.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/Account.h"
#include "core/Command.h"
#include "core/Encoding.h"
#include "core/PlaybackState.h"
#include "ports/MqttPort.h"

namespace s2m {

// The levels of `topic` below `<base>/` ("a/set/volume" → a, set, volume); none when the topic
// is not below the base topic.
inline std::vector<std::string> levels_below(const std::string& base, const std::string& topic) {
    const std::string prefix = base + "/";
    if (!topic.starts_with(prefix)) return {};
    std::vector<std::string_view> levels =
        split(std::string_view(topic).substr(prefix.size()), '/');
    return {levels.begin(), levels.end()};
}

class Module {
  public:
    virtual ~Module() = default;

    // The accounts are loaded: start whatever runs by itself (watchers, timers).
    virtual void on_start() {}
    // A new account: create its slice. Nothing is published yet; the events below follow.
    virtual void on_account_added(Account&) {}
    // Its tokens fit its Spotify app (a new account, or after the app changed): start working.
    virtual void on_account_ready(Account&) {}
    // A known account was linked again (a new record): start over with it.
    virtual void on_account_relinked(Account&) {}
    // Its Spotify app changed (before the core checks whether its tokens still fit).
    virtual void on_app_changed(Account&) {}
    // Unlinked and already erased from the core: drop the slice, clear its retained topics.
    virtual void on_account_removed(const std::string& /*name*/) {}
    // Something a person sees about the account changed (availability, link, plan, devices,
    // playlists, the token store's state).
    virtual void on_account_changed(Account&) {}
    // The player state on <base>/<account> changed.
    virtual void on_state_published(Account&) {}
    // Every player state read or predicted for the account, news or not (before it is shown).
    virtual void on_player_read(Account&, const PlaybackState&) {}
    // Its app's rate-limit window opened or changed.
    virtual void on_rate_limit_changed(Account&) {}
    // Spotify told whose account this is for the first time.
    virtual void on_user_learned(Account&) {}
    // A poll of the account ended (its token may have been renewed).
    virtual void on_poll_finished(Account&) {}
    // <base>/<account>/get asked for everything to be read again (its poll is on the way).
    virtual void on_get(Account&) {}
    // A command was carried out in full (its response says ok); its result is already shown.
    virtual void on_command_succeeded(Account&, const CommandSet&) {}

    // The MQTT filters this module's messages arrive on.
    virtual std::vector<std::string> subscriptions() const { return {}; }
    // Connected and subscribed (the retained account topics are out already).
    virtual void on_broker_connected() {}
    virtual void on_broker_lost() {}
    // The broker acknowledged the subscriptions.
    virtual void on_subscribed() {}
    // Publish again everything this module caches (after a connect, or HA's birth message).
    virtual void on_republish() {}
    // Publish this account's retained topics (part of "everything retained for one account").
    virtual void on_publish_retained(const Account&) {}
    // True: the message was this module's, and the modules after it do not see it.
    virtual bool on_message(const MqttMessage&) { return false; }
};

}  // namespace s2m
