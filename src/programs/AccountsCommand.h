// `spotify2mqtt accounts`: the accounts the bridge knows, whether each is linked, and when its
// refresh token expires (Spotify: six months after authorisation).
#pragma once

#include <ostream>

#include "config/Config.h"

namespace s2m {

int print_accounts(const Config& config, std::ostream& out);

}  // namespace s2m
