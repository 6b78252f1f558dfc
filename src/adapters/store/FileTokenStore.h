// TokenStore in files: <state_dir>/accounts/<name>.json, one per account, mode 0600 inside 0700
// directories. Every save is write-temp + fsync + rename + fsync(dir), so a crash at any point
// leaves either the old or the new file, never a torn one.
#pragma once

#include <mutex>
#include <set>
#include <string>

#include "ports/TokenStore.h"

namespace s2m {

class FileTokenStore : public TokenStore {
  public:
    // Creates state_dir (0700) and its accounts/ folder when missing; throws std::runtime_error
    // with a clear sentence when that is impossible (startup only).
    explicit FileTokenStore(std::string state_dir);

    std::vector<AccountRecord> load_all() override;
    std::optional<AccountRecord> load(const std::string& name) override;
    Status save(const AccountRecord& record) override;
    Status remove(const std::string& name) override;

    std::string path_of(const std::string& name) const;

  private:
    // Reports a broken file once (the bridge rereads the store every few seconds).
    void report_once(const std::string& file, const std::string& problem);
    void restrict_if_open(int fd, const std::string& file);

    std::string dir_;
    std::mutex mutex_;  // guards reported_: `link` and the web page may load concurrently
    std::set<std::string> reported_;
};

// Writes `content` to `path` atomically with the given mode (temp file in the same directory,
// fsync, rename, fsync of the directory).
Status write_file_atomically(const std::string& path, const std::string& content, unsigned mode);

}  // namespace s2m
