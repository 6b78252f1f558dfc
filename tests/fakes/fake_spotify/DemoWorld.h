// The world behind `fake_spotify --demo` and `scripts/run.sh --demo`: one Premium user "alice"
// (refresh token "demo-refresh-token") playing the playlist "Morning" on the "Kitchen" speaker,
// mostly with short tracks so that changes show quickly. README.md's examples run against it.
// Everything is made up (covers are the fake's own placeholder bytes), so nobody mistakes it
// for real data.
#pragma once

#include <nlohmann/json.hpp>

#include "World.h"

namespace fake_spotify {

// The control-API user spec of the demo user (also handy as an example for tests).
nlohmann::json demo_user_spec();
void load_demo(World& world);

}  // namespace fake_spotify
