// Snapshots and mute (docs/mqtt-commands.md#snapshot-and-restore, #volume-and-mute): what the
// bridge remembers of each account's player, kept through the PlayerMemoryStore port so it
// survives a restart. The keys themselves are planned like every key (core/CommandSnapshot.h,
// core/CommandVolume.h); this module is the memory around them: before a command is dispatched it
// looks up the snapshot `restore` names (an unknown name is answered NOT_FOUND without a Spotify
// call) and hands over the volume a mute set aside; after all calls succeeded it keeps what the
// plan says (a new snapshot, a muted volume, or forgets it after an unmute).
//
// Thread rule: loop thread only (its file reads and writes are small, like the token store's).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "app/BridgeCore.h"
#include "app/modules/Module.h"
#include "core/Command.h"
#include "core/CommandPlan.h"
#include "ports/PlayerMemoryStore.h"

namespace s2m {

// What CommandsModule asks of the player memory.
class PlayerMemory {
  public:
    virtual ~PlayerMemory() = default;
    // Fills what planning `commands` needs from the memory into `known`; NOT_FOUND when `restore`
    // names no snapshot.
    virtual std::optional<CommandError> recall(const std::string& account,
                                               const CommandSet& commands,
                                               AccountKnowledge& known) = 0;
    // After every call of `plan` succeeded: keep what it says. An error when it cannot be kept.
    virtual std::optional<CommandError> keep(const std::string& account, const CommandSet& commands,
                                             const CommandPlan& plan) = 0;
};

class PlayerMemoryModule : public Module, public PlayerMemory {
  public:
    PlayerMemoryModule(BridgeCore& core, PlayerMemoryStore& store) : core_(core), store_(store) {}

    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;

    std::optional<CommandError> recall(const std::string& account, const CommandSet& commands,
                                       AccountKnowledge& known) override;
    std::optional<CommandError> keep(const std::string& account, const CommandSet& commands,
                                     const CommandPlan& plan) override;

  private:
    BridgeCore& core_;
    PlayerMemoryStore& store_;
    std::map<std::string, std::optional<int>> muted_;  // per account: the volume set aside
};

}  // namespace s2m
