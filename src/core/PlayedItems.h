// The track_played event (docs/mqtt.md#track-played): which items count as played, from the
// states the bridge reads and predicts, with no call of its own. An item the bridge saw playing
// counts once: when it plays to its natural end (however short it is), or when it is skipped or
// replaced after at least 30 s of listening. Paused time is not listening time.
//
// The bridge only samples the player (a poll every few seconds, more near an item's end), so
// listening is estimated between two reads of the same item: the position's advance, when it is
// what the clock allows; the time between the reads when the position jumped (a seek). What was
// missed between reads is worked out from the positions: the same item seen again earlier in it
// after its end was due (repeat one, the same item twice in a row) ended naturally; an item
// replaced by one that started about when it was due to end ended naturally too.
//
// The bridge does not remember listening across a restart: an item playing when it starts counts
// when it ends, or after 30 s of listening the bridge saw. Idle (nothing active) ends the item
// (a later resume is a new listening). Pure: time comes in as numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/PlaybackState.h"

namespace s2m {

// Listening after which a skipped or replaced item counts.
inline constexpr int64_t kPlayedAfterMs = 30000;
// A stop this close to the item's end is its natural end (reads and Spotify's progress are a
// little late or early).
inline constexpr int64_t kNaturalEndSlackMs = 3000;
// A position further than this from where the clock says it should be is a seek.
inline constexpr int64_t kSeekSlackMs = 3000;

struct TrackPlayed {
    Track item;
    int64_t played_at_ms = 0;  // when it stopped playing
    int64_t listened_ms = 0;

    bool operator==(const TrackPlayed&) const = default;
};

class PlayedItems {
  public:
    // Every state the bridge read or predicted for the account, in order; `read_at_ms` is when
    // (the state's position_updated_at_ms says when its position was true: a playing item's
    // position is carried forward to the read). The item that stopped with this state, when it
    // counts.
    std::optional<TrackPlayed> observe(const PlaybackState& state, int64_t read_at_ms);

  private:
    struct Play {
        Track item;
        int64_t listened_ms = 0;
        int64_t position_ms = 0;     // at the last read
        int64_t position_at_ms = 0;  // when that position was true
        bool playing = false;        // at the last read
        bool seen_playing = false;
        int64_t last_playing_at_ms = 0;  // when it was last known to play (or pausing)
        int64_t last_read_at_ms = 0;
    };

    // The same item read again: adds what was listened since the last read. The item that ended
    // when it had ended and started over.
    std::optional<TrackPlayed> continue_play(Play& play, const PlaybackState& state, int64_t at_ms,
                                             int64_t position_ms);
    // The item stopped (another one or nothing replaced it); `next_started_at_ms` is when the
    // next one started, when known.
    std::optional<TrackPlayed> stop_play(Play& play, std::optional<int64_t> next_started_at_ms,
                                         int64_t read_at_ms);
    // A new listening of the item of `state`; `credit_ms` of it was listened before this read.
    void start_play(const PlaybackState& state, int64_t at_ms, int64_t position_ms,
                    int64_t credit_ms);

    std::optional<Play> play_;
    // Since this time nothing played (an idle read); unknown at start-up.
    std::optional<int64_t> quiet_since_ms_;
};

// {"type":"track_played","account","item","played_at","listened_ms"}; item as on the queue topic.
nlohmann::json track_played_event(const std::string& account, const TrackPlayed& played);

}  // namespace s2m
