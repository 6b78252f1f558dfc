// `spotify2mqtt healthcheck`: asks a running bridge's GET /healthz (on web.listen) whether it is
// healthy. For container HEALTHCHECKs and scripts, where no curl is installed: exit 0 when the
// bridge answers 200, 1 when it is unhealthy or unreachable.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "config/Config.h"

namespace s2m {

inline constexpr int kExitUnhealthy = 1;  // what Docker's HEALTHCHECK takes as "unhealthy"

// The /healthz URL for a web.listen value: a wildcard address (0.0.0.0, ::) is asked on the
// matching loopback address. nullopt when the page is disabled (web.listen null).
std::optional<std::string> healthz_url(const std::optional<std::string>& listen);

int run_healthcheck(const Config& config, std::ostream& out);

}  // namespace s2m
