// The playback engine: how a user's Playback moves through time and reacts to commands.
// Everything is computed lazily from the simulated clock (settle() on each request), so no
// thread ticks in the background. Callers hold World::mutex().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "World.h"

namespace fake_spotify {

// Rolls playback forward to `now`: items that ended are followed by the queue, then the next
// item of the context; repeat "track" restarts, repeat "context" wraps, and without repeat the
// player pauses at the end of the last item.
void settle(World& world, User& user, int64_t now);

const Item& current_item(World& world, const User& user);

// Starts `order[index]` (queue kept, like Spotify) and plays from `position_ms`.
void load(World& world, User& user, const std::string& context_uri, std::vector<std::string> order,
          size_t index, int64_t position_ms, int64_t now);
// Gives a user who never played anything something to resume: the first playlist, paused.
void ensure_session(World& world, User& user, int64_t now);
void set_playing(World& world, User& user, bool playing, int64_t now);
void skip_next(World& world, User& user, int64_t now);
// Restarts the item when more than 3 s in, else goes one back (wrapping with repeat context).
void skip_previous(World& world, User& user, int64_t now);
// A position at or past the end starts the next item, as the reference says.
void seek(World& world, User& user, int64_t position_ms, int64_t now);

}  // namespace fake_spotify
