// The track_played event on <base>/bridge/event (docs/mqtt.md#track-played): every player state
// the bridge reads or predicts goes through the played-item rule (core/PlayedItems.h); an item
// that counts is announced once. No call of its own: it only watches the bridge's state.
//
// Thread rule: loop thread only.
#pragma once

#include <map>
#include <string>

#include "app/BridgeCore.h"
#include "app/modules/Module.h"
#include "core/PlayedItems.h"

namespace s2m {

class PlayedModule : public Module {
  public:
    explicit PlayedModule(BridgeCore& core) : core_(core) {}

    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;
    void on_player_read(Account& account, const PlaybackState& state) override;

  private:
    BridgeCore& core_;
    std::map<std::string, PlayedItems> listening_;
};

}  // namespace s2m
