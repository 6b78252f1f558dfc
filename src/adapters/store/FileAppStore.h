// The Spotify app entered on the account page: <state_dir>/spotify_app.json, mode 0600 (it may
// hold the Client Secret), written atomically like the token files (write_file_atomically).
#pragma once

#include <optional>
#include <string>

#include "core/Result.h"
#include "core/SpotifyApp.h"
#include "ports/AppStore.h"

namespace s2m {

class FileAppStore : public AppStore {
  public:
    // state_dir must exist (FileTokenStore creates it, 0700).
    explicit FileAppStore(const std::string& state_dir);

    // nullopt when nothing was saved; an unreadable file is reported (without its content) and
    // treated as nothing saved, and kept for a person to look at.
    std::optional<StoredApp> load() const override;
    Status save(const StoredApp& app) const override;

    const std::string& path() const override { return path_; }

  private:
    std::string path_;
};

}  // namespace s2m
