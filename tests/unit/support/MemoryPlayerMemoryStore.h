// The player memory for in-process bridge tests: snapshots and muted volumes in maps.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "ports/PlayerMemoryStore.h"

namespace s2m::test {

class MemoryPlayerMemoryStore : public PlayerMemoryStore {
  public:
    std::optional<PlayerSnapshot> load_snapshot(const std::string& account,
                                                const std::string& name) override {
        auto it = snapshots.find({account, name});
        if (it == snapshots.end()) return std::nullopt;
        return it->second;
    }
    Status save_snapshot(const std::string& account, const std::string& name,
                         const PlayerSnapshot& snapshot) override {
        if (fail_saves) return Error{ErrorKind::Internal, "the disk is full"};
        snapshots[{account, name}] = snapshot;
        return ok_status();
    }
    std::optional<int> load_muted_volume(const std::string& account) override {
        auto it = muted.find(account);
        if (it == muted.end()) return std::nullopt;
        return it->second;
    }
    Status save_muted_volume(const std::string& account, std::optional<int> volume) override {
        if (fail_saves) return Error{ErrorKind::Internal, "the disk is full"};
        if (volume) {
            muted[account] = *volume;
        } else {
            muted.erase(account);
        }
        return ok_status();
    }
    void forget_account(const std::string& account) override {
        std::erase_if(snapshots, [&](const auto& entry) { return entry.first.first == account; });
        muted.erase(account);
    }

    std::map<std::pair<std::string, std::string>, PlayerSnapshot> snapshots;
    std::map<std::string, int> muted;
    bool fail_saves = false;
};

}  // namespace s2m::test
