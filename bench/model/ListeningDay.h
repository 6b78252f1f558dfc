// A simulated listening day for one account (bench/listening_day_bench.cpp): what Spotify would
// answer to GET /me/player at any moment, and the list of changes a person made or saw. Made
// from a seed, so two policies can be compared on exactly the same day.
//
// The day: four listening sessions (4 h of playback in all) with natural track changes, skips,
// pauses, device changes and volume changes made "from a phone"; after each session the player
// stays paused for 10 minutes, then Spotify forgets it (idle) until the next session.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/PlaybackState.h"

namespace s2m::bench {

enum class ChangeKind { TrackEnd, Skip, Pause, Resume, Device, Volume, Idle };
const char* to_string(ChangeKind kind);
inline constexpr ChangeKind kAllKinds[] = {
    ChangeKind::TrackEnd, ChangeKind::Skip,   ChangeKind::Pause, ChangeKind::Resume,
    ChangeKind::Device,   ChangeKind::Volume, ChangeKind::Idle};

struct Change {
    int64_t at_ms;
    ChangeKind kind;
    bool during_playback;    // the music was playing when it happened
    int session = -1;        // which of the day's sessions (DayShape::sessions) it belongs to
    bool from_idle = false;  // a start of playback after Spotify had forgotten the player
};

// What is true from `start_ms` until the next segment starts.
struct Segment {
    int64_t start_ms = 0;
    PlayerState state = PlayerState::Idle;
    int track_number = 0;           // a new number = a different track
    int64_t position_at_start = 0;  // ms into the track at start_ms
    int64_t duration_ms = 0;
    int device = 0;
    int volume = 50;
};

struct DayShape {
    int64_t day_ms = 24LL * 3600 * 1000;
    // Session starts (ms after midnight) and their playback time.
    std::vector<std::pair<int64_t, int64_t>> sessions = {
        {7 * 3600000LL, 60 * 60000LL},
        {12 * 3600000LL + 30 * 60000LL, 45 * 60000LL},
        {17 * 3600000LL + 30 * 60000LL, 45 * 60000LL},
        {20 * 3600000LL, 90 * 60000LL}};
    int64_t session_start_spread_ms = 5 * 60000LL;  // each start is its time ± this
    double skip_chance = 0.15;                      // per track: skipped from the phone part-way
    double pause_chance = 0.05;                     // per track: paused for 1–8 minutes part-way
    double device_chance = 0.03;                    // per track: moved to another device part-way
    double volume_chance = 0.08;                    // per track: volume changed part-way
    int64_t paused_before_idle_ms = 10 * 60000LL;
    // Spotify shows the next track this long after the previous one ended.
    int64_t switch_delay_ms = 300;
};

class ListeningDay {
  public:
    ListeningDay(const DayShape& shape, uint32_t seed);
    // A day of one state only (the per-hour rates): one long track when playing or paused.
    static ListeningDay steady(PlayerState state, int64_t length_ms);

    // GET /me/player at `at_ms` (Unix-like ms from midnight), as Spotify would answer it.
    PlaybackState player_at(int64_t at_ms) const;
    // Which segment a read at `at_ms` sees (to tell whether a change has been seen).
    size_t segment_at(int64_t at_ms) const;
    const std::vector<Segment>& segments() const { return segments_; }
    const std::vector<Change>& changes() const { return changes_; }
    const std::vector<size_t>& change_segments() const { return change_segments_; }
    int64_t length_ms() const { return length_ms_; }
    int64_t playing_ms() const;

  private:
    ListeningDay() = default;
    void add(const Segment& segment, ChangeKind kind);
    void play_session(int64_t start_ms, int64_t playback_ms, std::mt19937& random,
                      const DayShape& shape);

    std::vector<Segment> segments_;
    std::vector<Change> changes_;
    std::vector<size_t> change_segments_;  // the segment each change starts
    int session_ = -1;                     // the session being played
    int64_t length_ms_ = 0;
    int next_track_ = 1;
};

}  // namespace s2m::bench
