// PlayerMemoryStore in files: <state_dir>/player/<account>/snapshot-<name>.json and mute.json,
// mode 0600 inside 0700 directories, each written atomically (temp file, fsync, rename), so a
// crash leaves the old or the new file. Not below accounts/, which the token store rescans. A
// file that cannot be read is logged once and treated as absent; it is left in place until the
// next save of the same name replaces it.
//
// Thread rule: the loop thread only (app/modules/PlayerMemoryModule).
#pragma once

#include <set>
#include <string>

#include "ports/PlayerMemoryStore.h"

namespace s2m {

class FilePlayerMemoryStore : public PlayerMemoryStore {
  public:
    explicit FilePlayerMemoryStore(std::string state_dir);

    std::optional<PlayerSnapshot> load_snapshot(const std::string& account,
                                                const std::string& name) override;
    Status save_snapshot(const std::string& account, const std::string& name,
                         const PlayerSnapshot& snapshot) override;
    std::optional<int> load_muted_volume(const std::string& account) override;
    Status save_muted_volume(const std::string& account, std::optional<int> volume) override;
    void forget_account(const std::string& account) override;

    std::string snapshot_path(const std::string& account, const std::string& name) const;
    std::string mute_path(const std::string& account) const;

  private:
    std::optional<nlohmann::json> read_json(const std::string& path);
    Status write_json(const std::string& account, const std::string& path,
                      const nlohmann::json& json);
    void report_once(const std::string& path, const std::string& problem);

    std::string dir_;  // <state_dir>/player
    std::set<std::string> reported_;
};

}  // namespace s2m
