// Which items count as played (core/PlayedItems.h, docs/mqtt.md#track-played).
#include "core/PlayedItems.h"

#include <algorithm>
#include <cstdlib>

#include "core/StatePayload.h"  // iso8601_utc
#include "core/UpNext.h"        // item_json

namespace s2m {

namespace {

bool has_item(const PlaybackState& state) {
    return state.state != PlayerState::Idle && state.track && !state.track->uri.empty();
}

}  // namespace

std::optional<TrackPlayed> PlayedItems::observe(const PlaybackState& state, int64_t read_at_ms) {
    const bool item = has_item(state);
    // Every position is taken as of this read. A command's predicted state can carry the position
    // the bridge last published (a volume change keeps it), older than the reads since: where it
    // plays, it has moved on by now.
    const int64_t at = read_at_ms;
    int64_t position = std::max<int64_t>(0, state.position_ms.value_or(0));
    if (state.state == PlayerState::Playing && state.position_updated_at_ms > 0 &&
        state.position_updated_at_ms < read_at_ms)
        position += read_at_ms - state.position_updated_at_ms;
    if (item && state.track->duration_ms) position = std::min(position, *state.track->duration_ms);

    if (play_ && item && state.track->uri == play_->item.uri) {
        auto played = continue_play(*play_, state, at, position);
        play_->last_read_at_ms = read_at_ms;
        return played;
    }

    std::optional<TrackPlayed> played;
    // The earliest the item of this read can have started.
    std::optional<int64_t> free_since = quiet_since_ms_;
    if (play_) {
        // A new item at `position` started about that long ago.
        std::optional<int64_t> next_started;
        if (item) next_started = at - position;
        played = stop_play(*play_, next_started, read_at_ms);
        free_since = play_->playing ? play_->last_playing_at_ms : play_->last_read_at_ms;
        play_.reset();
    }
    if (item) {
        int64_t credit = free_since ? std::clamp<int64_t>(at - *free_since, 0, position) : 0;
        start_play(state, at, position, credit);
        play_->last_read_at_ms = read_at_ms;
        quiet_since_ms_.reset();
    } else {
        quiet_since_ms_ = read_at_ms;
    }
    return played;
}

std::optional<TrackPlayed> PlayedItems::continue_play(Play& play, const PlaybackState& state,
                                                      int64_t at_ms, int64_t position_ms) {
    const int64_t wall = std::max<int64_t>(0, at_ms - play.position_at_ms);
    const int64_t expected = play.position_ms + (play.playing ? wall : 0);
    const std::optional<int64_t> duration = play.item.duration_ms;
    if (play.playing && duration && *duration > 0) {
        // Back near the start after its end was due: it ended and plays again (repeat one, or
        // the same item twice in a row)...
        bool back_after_end = position_ms + kSeekSlackMs < play.position_ms &&
                              expected >= *duration - kNaturalEndSlackMs;
        // ...or, with repeat one, round again further than the last read (a short item).
        bool round_again = state.repeat == "track" && expected >= *duration &&
                           std::abs(position_ms - (expected - *duration)) <= kSeekSlackMs;
        if (back_after_end || round_again) {
            int64_t ended_at = play.position_at_ms + (*duration - play.position_ms);
            TrackPlayed played{
                play.item, ended_at,
                play.listened_ms + std::max<int64_t>(0, *duration - play.position_ms)};
            start_play(state, at_ms, position_ms,
                       std::clamp<int64_t>(at_ms - ended_at, 0, position_ms));
            return played;
        }
    }
    const bool playing = state.state == PlayerState::Playing;
    const int64_t advance = position_ms - play.position_ms;
    int64_t listened = 0;
    if (advance >= 0 && advance <= wall + kSeekSlackMs) {
        listened = std::min(advance, wall);  // as the clock allows; less when it paused a while
    } else if (play.playing) {
        listened = wall;  // a seek: it kept playing, from wherever it jumped
    }
    play.listened_ms += listened;
    if (playing) {
        play.seen_playing = true;
        play.last_playing_at_ms = at_ms;
    } else if (listened > 0) {
        // Paused since: when it was playing at the last read, it paused `listened` after it.
        play.last_playing_at_ms = play.playing ? play.position_at_ms + listened : at_ms;
        play.seen_playing = true;
    }
    play.position_ms = position_ms;
    play.position_at_ms = at_ms;
    play.playing = playing;
    return std::nullopt;
}

std::optional<TrackPlayed> PlayedItems::stop_play(Play& play,
                                                  std::optional<int64_t> next_started_at_ms,
                                                  int64_t read_at_ms) {
    const std::optional<int64_t> duration = play.item.duration_ms;
    int64_t stop_position = play.position_ms;
    if (play.playing) {
        const int64_t latest = std::max(play.position_at_ms, read_at_ms);
        int64_t stop_at = play.position_at_ms;
        if (next_started_at_ms) {
            stop_at = std::clamp(*next_started_at_ms, play.position_at_ms, latest);
        } else if (duration) {
            // Nothing plays now: it ran to its end when that was due before this read; else
            // it stopped at some moment the bridge cannot tell, and only what it saw counts.
            int64_t due = play.position_at_ms + (*duration - play.position_ms);
            if (due <= latest) stop_at = due;
        }
        stop_position = play.position_ms + (stop_at - play.position_at_ms);
        if (duration) stop_position = std::min(stop_position, *duration);
        play.listened_ms += std::max<int64_t>(0, stop_position - play.position_ms);
        play.last_playing_at_ms = play.position_at_ms + (stop_position - play.position_ms);
    }
    if (!play.seen_playing) return std::nullopt;
    bool natural_end = duration && stop_position >= *duration - kNaturalEndSlackMs;
    if (!natural_end && play.listened_ms < kPlayedAfterMs) return std::nullopt;
    return TrackPlayed{play.item, play.last_playing_at_ms, play.listened_ms};
}

void PlayedItems::start_play(const PlaybackState& state, int64_t at_ms, int64_t position_ms,
                             int64_t credit_ms) {
    Play play;
    play.item = *state.track;
    play.listened_ms = credit_ms;
    play.position_ms = position_ms;
    play.position_at_ms = at_ms;
    play.playing = state.state == PlayerState::Playing;
    play.seen_playing = play.playing || credit_ms > 0;
    play.last_playing_at_ms = at_ms;
    play_ = std::move(play);
}

nlohmann::json track_played_event(const std::string& account, const TrackPlayed& played) {
    return {{"type", "track_played"},
            {"account", account},
            {"item", item_json(played.item)},
            {"played_at", iso8601_utc(played.played_at_ms)},
            {"listened_ms", played.listened_ms}};
}

}  // namespace s2m
