// What Spotify last showed for each account (the player state, devices and playlists) and the
// retained topics that carry it: <base>/<account>, /devices and /playlists (docs/mqtt.md).
// Polls and commands hand it what they read; it publishes only what changed and raises
// on_state_published for the modules that show the state elsewhere (Home Assistant).
//
// Thread rule: loop thread only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/BridgeCore.h"
#include "app/modules/Module.h"
#include "core/Liked.h"
#include "core/PlaybackState.h"

namespace s2m {

struct Seen {
    std::optional<PlaybackState> published;  // the last state put on MQTT
    std::optional<std::vector<Device>> devices;
    std::optional<std::vector<Playlist>> playlists;
    std::map<std::string, std::string> context_names;  // uri → name ("" = has none)
    std::optional<std::string> last_device_id;  // where it last played (idle `play` goes there)
    std::optional<LikedMark> liked;  // the state's `liked` while it is about the current item
};

class PlayerStateModule : public Module {
  public:
    explicit PlayerStateModule(BridgeCore& core) : core_(core) {}

    // Empty for an account it does not know.
    const Seen& seen(const std::string& name) const;

    // Publishes the state when it is news. True when it plays on a device not listed yet.
    bool apply_player(Account& account, PlaybackState state);
    void apply_devices(Account& account, std::vector<Device> devices);
    void apply_playlists(Account& account, std::vector<Playlist> playlists);
    void remember_context_name(Account& account, const std::string& uri, const std::string& name);
    void remember_device(Account& account, const std::string& device_id);  // a command's target
    // What the library says about `mark.uri` (app/modules/LikedModule): republishes the state at
    // once when that is the current item and its `liked` changes.
    void apply_liked(Account& account, LikedMark mark);

    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;
    void on_publish_retained(const Account& account) override;

  private:
    template <typename List, typename Payload>
    void show_list(std::optional<List>& shown, List fresh, const std::string& topic,
                   Payload payload);

    BridgeCore& core_;
    std::map<std::string, Seen> seen_;
};

}  // namespace s2m
