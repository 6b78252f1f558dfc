// Port: what the bridge remembers of each account's player across restarts (snapshots and the
// volume a mute set aside; core/PlayerSnapshot.h). adapters/store/FilePlayerMemoryStore keeps it
// in files. Names are already checked: accounts [a-z0-9_-]{1,32}, snapshots [a-z0-9_-]{1,64}.
#pragma once

#include <optional>
#include <string>

#include "core/PlayerSnapshot.h"
#include "core/Result.h"

namespace s2m {

class PlayerMemoryStore {
  public:
    virtual ~PlayerMemoryStore() = default;
    // nullopt when none was kept, or when what was kept cannot be read (said in the log once).
    virtual std::optional<PlayerSnapshot> load_snapshot(const std::string& account,
                                                        const std::string& name) = 0;
    virtual Status save_snapshot(const std::string& account, const std::string& name,
                                 const PlayerSnapshot& snapshot) = 0;
    virtual std::optional<int> load_muted_volume(const std::string& account) = 0;
    // nullopt forgets it.
    virtual Status save_muted_volume(const std::string& account, std::optional<int> volume) = 0;
    // An unlinked account: forget everything kept for it.
    virtual void forget_account(const std::string& account) = 0;
};

}  // namespace s2m
