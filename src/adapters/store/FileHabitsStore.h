// HabitsStore in files: <state_dir>/habits/<account>.json, mode 0600 inside a 0700 directory,
// written atomically (temp file, fsync, rename), so a crash leaves the old or the new file. Each
// file has a fixed shape (168 numbers a list), so it stays a few kilobytes; a file larger than
// kMaxHabitsFileBytes, or one that is not what this version writes, is removed with a log line
// and the account learns afresh: habits are a hint, never worth refusing to start.
//
// Thread rule: the loop thread only (app/modules/PollingModule).
#pragma once

#include <string>

#include "ports/HabitsStore.h"

namespace s2m {

inline constexpr size_t kMaxHabitsFileBytes = 64 * 1024;

class FileHabitsStore : public HabitsStore {
  public:
    explicit FileHabitsStore(std::string state_dir);

    std::optional<ListeningHabits> load(const std::string& account) override;
    Status save(const std::string& account, const ListeningHabits& habits) override;
    void forget(const std::string& account) override;

    std::string path_of(const std::string& account) const;

  private:
    void drop(const std::string& path, const std::string& problem);

    std::string dir_;  // <state_dir>/habits
};

}  // namespace s2m
