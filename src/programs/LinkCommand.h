// `spotify2mqtt link [--account NAME]`: links an account from a terminal. Prints Spotify's
// consent address, then finishes through whichever comes first: Spotify's redirect to the
// loopback callback (served here when the port is free), or the landing address pasted on stdin
// (for a browser on another machine, or when the port is taken). It never shares a port: when a
// running bridge's page holds it, it says so and offers that page instead. The token goes to the
// token store, where a running bridge picks it up within seconds.
#pragma once

#include <optional>
#include <string>

#include "config/Config.h"

namespace s2m {

// Exit codes: 0 linked, 1 not linked (the reason is printed), 73 state_dir unusable,
// 78 no Spotify app configured.
int run_link_command(const Config& config, const std::optional<std::string>& account);

}  // namespace s2m
