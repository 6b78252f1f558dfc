// GET /v1/me/player/queue (the reference's get-queue): the item playing now and what Spotify
// plays after it, the user's own queue first, then the rest of the context.
#pragma once

#include "Http.h"
#include "World.h"

namespace fake_spotify {

// Locks the world, authenticates, settles playback to now and answers the QueueObject.
void answer_queue(World& world, Call& call);

}  // namespace fake_spotify
