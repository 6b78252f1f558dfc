// Port: where the Spotify app entered on the account page is kept (adapters/store/FileAppStore).
// It may hold the Client Secret: implementations write atomically, 0600, and never log it.
#pragma once

#include <optional>
#include <string>

#include "core/Result.h"
#include "core/SpotifyApp.h"

namespace s2m {

class AppStore {
  public:
    virtual ~AppStore() = default;
    // nullopt when nothing was saved (or what was saved cannot be read).
    virtual std::optional<StoredApp> load() const = 0;
    virtual Status save(const StoredApp& app) const = 0;
    // Where it is kept, for the log.
    virtual const std::string& path() const = 0;
};

}  // namespace s2m
