#include "model/ListeningDay.h"

#include <algorithm>
#include <stdexcept>

namespace s2m::bench {

namespace {
constexpr int kDevices = 3;  // phone, speaker, laptop: all known to both policies
}

const char* to_string(ChangeKind kind) {
    switch (kind) {
        case ChangeKind::TrackEnd:
            return "natural track change";
        case ChangeKind::Skip:
            return "skip (phone)";
        case ChangeKind::Pause:
            return "pause (phone)";
        case ChangeKind::Resume:
            return "resume (phone)";
        case ChangeKind::Device:
            return "device change (phone)";
        case ChangeKind::Volume:
            return "volume (phone)";
        case ChangeKind::Idle:
            return "player gone idle";
    }
    return "?";
}

ListeningDay::ListeningDay(const DayShape& shape, uint32_t seed) {
    std::mt19937 random(seed);
    segments_.push_back(Segment{});  // idle from midnight
    // People do not press play on the minute: each session starts up to 5 minutes either side
    // of its time (a start on the minute would fall on the polls of a policy that began at
    // midnight, and flatter it).
    std::uniform_int_distribution<int64_t> start_offset(-shape.session_start_spread_ms,
                                                        shape.session_start_spread_ms);
    for (const auto& [planned, playback] : shape.sessions) {
        ++session_;
        int64_t start = planned + start_offset(random);
        if (start < segments_.back().start_ms) throw std::invalid_argument("sessions overlap");
        play_session(start, playback, random, shape);
    }
    length_ms_ = shape.day_ms;
    if (segments_.back().start_ms >= length_ms_) throw std::invalid_argument("day too short");
}

ListeningDay ListeningDay::steady(PlayerState state, int64_t length_ms) {
    ListeningDay day;
    Segment segment;
    segment.state = state;
    if (state != PlayerState::Idle) {
        segment.track_number = 1;
        segment.duration_ms = 10 * length_ms;  // no track ends
    }
    day.segments_.push_back(segment);
    day.length_ms_ = length_ms;
    return day;
}

void ListeningDay::add(const Segment& segment, ChangeKind kind) {
    // "During playback": the music was playing when it happened (a resume or a session start is
    // not; a pause is).
    bool during_playback = segments_.back().state == PlayerState::Playing;
    bool from_idle = segments_.back().state == PlayerState::Idle;
    changes_.push_back(Change{segment.start_ms, kind, during_playback, session_, from_idle});
    segments_.push_back(segment);
    change_segments_.push_back(segments_.size() - 1);
}

// Tracks until `playback_ms` of music has played; each track may be skipped, paused, moved or
// have its volume changed part-way (at most one of these per track, drawn in that order).
void ListeningDay::play_session(int64_t start_ms, int64_t playback_ms, std::mt19937& random,
                                const DayShape& shape) {
    std::uniform_int_distribution<int64_t> track_length(150000, 330000);
    std::uniform_int_distribution<int64_t> pause_length(60000, 480000);
    std::uniform_real_distribution<double> chance(0.0, 1.0);
    std::uniform_real_distribution<double> part_way(0.1, 0.9);
    // A random moment 10–90 % of the way through what is left of `segment`'s track.
    auto part_way_through = [&](const Segment& segment) {
        return segment.start_ms +
               static_cast<int64_t>(
                   part_way(random) *
                   static_cast<double>(segment.duration_ms - segment.position_at_start));
    };

    Segment now = segments_.back();
    now.start_ms = start_ms;
    now.state = PlayerState::Playing;
    now.track_number = next_track_++;
    now.position_at_start = 0;
    now.duration_ms = track_length(random);
    add(now, ChangeKind::Resume);

    int64_t played = 0;
    while (played < playback_ms) {
        const Segment track = now;
        int64_t ends_at = track.start_ms + track.duration_ms - track.position_at_start;
        double roll = chance(random);
        double threshold = shape.skip_chance;
        if (roll < threshold) {  // skipped: the next track starts at once
            int64_t at = part_way_through(track);
            played += at - track.start_ms;
            now =
                Segment{at,           PlayerState::Playing, next_track_++, 0, track_length(random),
                        track.device, track.volume};
            add(now, ChangeKind::Skip);
            continue;
        }
        if (roll < (threshold += shape.pause_chance)) {
            int64_t at = part_way_through(track);
            played += at - track.start_ms;
            Segment paused = track;
            paused.start_ms = at;
            paused.state = PlayerState::Paused;
            paused.position_at_start = track.position_at_start + (at - track.start_ms);
            add(paused, ChangeKind::Pause);
            now = paused;
            now.start_ms = at + pause_length(random);
            now.state = PlayerState::Playing;
            add(now, ChangeKind::Resume);
            continue;
        }
        bool moved = roll < (threshold += shape.device_chance);
        bool louder = !moved && roll < threshold + shape.volume_chance;
        if (moved || louder) {
            int64_t at = part_way_through(track);
            played += at - track.start_ms;
            now = track;
            now.start_ms = at;
            now.position_at_start = track.position_at_start + (at - track.start_ms);
            if (moved) now.device = (track.device + 1) % kDevices;
            if (louder) now.volume = track.volume >= 90 ? 40 : track.volume + 10;
            add(now, moved ? ChangeKind::Device : ChangeKind::Volume);
            continue;
        }
        // Played to the end: Spotify shows the next track a moment later.
        played += ends_at - track.start_ms;
        now = Segment{ends_at + shape.switch_delay_ms,
                      PlayerState::Playing,
                      next_track_++,
                      shape.switch_delay_ms,
                      track_length(random),
                      track.device,
                      track.volume};
        add(now, ChangeKind::TrackEnd);
        changes_.back().at_ms = ends_at;  // the music changed at the end, Spotify shows it later
    }
    // The session ends part-way through the track that was playing (at a random point like every
    // other change: a fixed point, such as half-way, can coincide with a policy's reads), paused
    // for a while, then Spotify forgets the player.
    Segment paused = now;
    paused.start_ms = part_way_through(now);
    paused.position_at_start = now.position_at_start + (paused.start_ms - now.start_ms);
    paused.state = PlayerState::Paused;
    add(paused, ChangeKind::Pause);
    Segment idle;
    idle.start_ms = paused.start_ms + shape.paused_before_idle_ms;
    add(idle, ChangeKind::Idle);
}

size_t ListeningDay::segment_at(int64_t at_ms) const {
    auto after = std::upper_bound(segments_.begin(), segments_.end(), at_ms,
                                  [](int64_t t, const Segment& s) { return t < s.start_ms; });
    return static_cast<size_t>(std::max<std::ptrdiff_t>(0, after - segments_.begin() - 1));
}

PlaybackState ListeningDay::player_at(int64_t at_ms) const {
    const Segment& segment = segments_[segment_at(at_ms)];
    PlaybackState state;
    state.state = segment.state;
    if (segment.state == PlayerState::Idle) return state;
    int64_t position = segment.position_at_start;
    if (segment.state == PlayerState::Playing) position += at_ms - segment.start_ms;
    state.track = Track{"spotify:track:t" + std::to_string(segment.track_number),
                        "Track",
                        {"Artist"},
                        "Album",
                        std::nullopt,
                        segment.duration_ms,
                        "track"};
    state.position_ms = std::min(position, segment.duration_ms);
    state.position_updated_at_ms = at_ms;
    state.volume = segment.volume;
    state.device = Device{"device" + std::to_string(segment.device),
                          "Device",
                          "Speaker",
                          true,
                          false,
                          true,
                          segment.volume};
    return state;
}

int64_t ListeningDay::playing_ms() const {
    int64_t total = 0;
    for (size_t i = 0; i < segments_.size(); ++i) {
        int64_t end = i + 1 < segments_.size() ? segments_[i + 1].start_ms : length_ms_;
        if (segments_[i].state == PlayerState::Playing) total += end - segments_[i].start_ms;
    }
    return total;
}

}  // namespace s2m::bench
