// Turns the control API's JSON into users, devices and playback changes. Unknown keys are
// refused (400) so that a typo in a test fails loudly instead of being silently ignored.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "World.h"

namespace fake_spotify {

using nlohmann::json;

// Creates or replaces a user (see ControlApi.h for the keys); anything omitted gets a default:
// two devices, two playlists over the default catalogue, nothing playing.
User& create_user(World& world, const json& spec);

std::vector<Device> parse_devices(const json& spec);

// A change "from a phone": {active:false} or any of is_playing, context_uri, uris, track_index,
// track_uri, progress_ms, device_id, volume, shuffle, repeat, queue.
void apply_playback_change(World& world, User& user, const json& change);

}  // namespace fake_spotify
