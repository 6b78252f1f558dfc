// Listening data (docs/mqtt.md#recent, docs/mqtt.md#top): what the retained <base>/<account>/recent
// and <base>/<account>/top topics show, and when the bridge reads them. Pure (time comes in as a
// number), so the daemon (app/modules/RecentModule, TopModule) and the listening-day benchmark
// (bench/model/Policies.cpp) count the same reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/PlaybackState.h"

namespace s2m {

// The recent topic lists the last 20 plays; the top topic 10 tracks and 10 artists of the last
// four weeks (Spotify's "short_term").
inline constexpr size_t kRecentItems = 20;
inline constexpr size_t kTopItems = 10;
inline constexpr const char* kTopTimeRange = "short_term";
// Recently played is read at most this often while playing; /get reads it at once.
inline constexpr int64_t kRecentReadGapMs = 10 * 60 * 1000;
// Top items are read when the account comes online, then once a day; a failed read is tried
// again after an hour.
inline constexpr int64_t kTopReadGapMs = 24 * 3600 * 1000;
inline constexpr int64_t kTopRetryMs = 3600 * 1000;

// One entry of get-recently-played: when the item stopped playing (Spotify's ISO 8601 text).
struct PlayedItem {
    std::string played_at;
    Track item;

    bool operator==(const PlayedItem&) const = default;
};

struct TopArtist {
    std::string uri;
    std::string name;

    bool operator==(const TopArtist&) const = default;
};

struct TopItems {
    std::vector<Track> tracks;
    std::vector<TopArtist> artists;
};

// [{"played_at","item"}…], the first kRecentItems (newest first, as Spotify lists them); item as
// the queue topic has it (core/UpNext.h: item_json).
nlohmann::json recent_payload(const std::vector<PlayedItem>& played);
// {"time_range":"short_term","tracks":[item…],"artists":[{"uri","name"}…]}, kTopItems each.
nlohmann::json top_payload(const TopItems& top);

// When recently played is worth a read: while playing, at most every kRecentReadGapMs, and only
// when something new could be there: the item changed (or playback stopped) since the last read,
// or there was none yet. Seeking, pausing and resuming one item read nothing.
class RecentReads {
  public:
    // Every published state, before due(): notes an item change.
    void saw(const PlaybackState& shown);
    bool due(const PlaybackState& shown, int64_t now_ms) const;
    // How long until due() turns true by the clock alone (the gap since the last read ends):
    // nullopt when it is due now or waits for something else (playing, an item change).
    std::optional<int64_t> wait_ms(const PlaybackState& shown, int64_t now_ms) const;
    // A read was sent (on schedule or for /get).
    void read(int64_t now_ms);
    // It failed: what it was for is still unread.
    void failed() { news_ = true; }

  private:
    std::optional<int64_t> read_at_ms_;
    std::optional<std::string> item_;  // the item last seen (none: nothing played)
    bool news_ = true;                 // something new could be in recently played
};

// When the top items are due: while the account is online, never read yet (it came online, or
// linked again), or the last read is kTopReadGapMs old (kTopRetryMs when it failed).
struct TopReads {
    std::optional<int64_t> read_at_ms;
    bool failed = false;

    bool due(bool online, int64_t now_ms) const;
    // How long until due() turns true by the clock alone; nullopt when due now or never read.
    std::optional<int64_t> wait_ms(int64_t now_ms) const;
};

}  // namespace s2m
