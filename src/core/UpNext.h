// Up next (docs/mqtt.md#up-next): what the retained <base>/<account>/queue topic shows, and when
// the bridge reads Spotify's queue for it. Pure, so the daemon (app/modules/UpNextModule) and the
// listening-day benchmark (bench/model/Policies.cpp) count the same reads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/PlaybackState.h"

namespace s2m {

// The topic lists at most this many items (Spotify answers with up to 20).
inline constexpr size_t kUpNextItems = 10;

// One item as the topics and events list it (queue, recent, top, track_played):
// {"uri","name","artists","album","duration_ms","type"} as the account state's `track` has them.
nlohmann::json item_json(const Track& item);

// {"next":[item…]}: the first kUpNextItems of `next`, each
// {"uri","name","artists","album","duration_ms","type"} as the account state's `track` has them.
nlohmann::json queue_payload(const std::vector<Track>& next);

// Whether the queue must be read now that `shown` is the published state: only while playing, and
// only when the item is not the one the last read was for (`read_for`: its URI). Resuming or
// seeking the same item reads nothing; a pause, or a skip while paused, waits until it plays.
bool queue_read_due(const PlaybackState& shown, const std::optional<std::string>& read_for);

}  // namespace s2m
