// Accounts for a bench's bridge, spread over Spotify apps of five users each, as a
// development-mode app allows: each app's rate-limit gate then runs at its default pace.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/FakeSpotifyClient.h"

namespace s2m::bench {

// Registers the apps on the fake (the first five accounts use spotify.client_id) and answers the
// config's "accounts" list; account `name` links with the refresh token "rt-<name>".
nlohmann::json accounts_over_apps(const test::FakeSpotifyClient& fake,
                                  const std::vector<std::string>& names);

}  // namespace s2m::bench
