#include "Playback.h"

#include <algorithm>

#include "ListeningApi.h"

namespace fake_spotify {

namespace {

constexpr int64_t kPreviousRestartsAfterMs = 3000;
// Spotify counts a skipped item as played after 30 s of it.
constexpr int64_t kPlayedAfterMs = 30000;

int64_t duration_of(World& world, const std::string& uri) {
    // A floor keeps settle() finite even for a silly duration given by a test.
    return std::max<int64_t>(world.ensure_item(uri).duration_ms, 1000);
}

void touch(Playback& pb, int64_t now) {
    pb.anchor_ms = now;
    pb.changed_ms = now;
}

// Moves to the item after the current one; false at the end of a context without repeat.
bool advance_item(Playback& pb) {
    if (!pb.queue.empty()) {
        pb.current = pb.queue.front();
        pb.queue.pop_front();
        return true;
    }
    if (pb.index + 1 < pb.order.size()) {
        pb.current = pb.order[++pb.index];
        return true;
    }
    if (pb.repeat == "context" && !pb.order.empty()) {
        pb.index = 0;
        pb.current = pb.order[0];
        return true;
    }
    return false;
}

}  // namespace

void settle(World& world, User& user, int64_t now) {
    Playback& pb = user.playback;
    if (!pb.active || pb.current.empty() || !pb.is_playing || now <= pb.anchor_ms) {
        pb.anchor_ms = std::max(pb.anchor_ms, now);
        return;
    }
    int64_t t = pb.anchor_ms;
    int64_t progress = pb.progress_ms;
    // Each round consumes one whole item, so the loop is bounded by the time jumped over.
    while (true) {
        int64_t duration = duration_of(world, pb.current);
        int64_t remaining = std::max<int64_t>(duration - progress, 0);
        if (t + remaining > now) {
            progress += now - t;
            break;
        }
        t += remaining;  // the moment the item ended
        pb.changed_ms = t;
        record_play(user, pb.current, t);
        if (pb.repeat == "track") {
            t += (now - t) / duration * duration;
            progress = 0;
            continue;
        }
        if (!advance_item(pb)) {
            progress = duration;
            pb.is_playing = false;
            break;
        }
        progress = 0;
    }
    pb.progress_ms = progress;
    pb.anchor_ms = now;
}

const Item& current_item(World& world, const User& user) {
    return world.ensure_item(user.playback.current);
}

void load(World& world, User& user, const std::string& context_uri, std::vector<std::string> order,
          size_t index, int64_t position_ms, int64_t now) {
    Playback& pb = user.playback;
    pb.context_uri = context_uri;
    pb.order = std::move(order);
    pb.index = std::min(index, pb.order.empty() ? 0 : pb.order.size() - 1);
    pb.current = pb.order.empty() ? std::string() : pb.order[pb.index];
    pb.active = true;
    pb.is_playing = true;
    pb.progress_ms = 0;
    touch(pb, now);
    if (position_ms > 0) seek(world, user, position_ms, now);
}

void ensure_session(World& world, User& user, int64_t now) {
    if (!user.playback.current.empty()) return;
    auto ctx = user.playlists.empty() ? std::nullopt : world.context(user, user.playlists[0]);
    if (ctx && !ctx->items.empty()) {
        load(world, user, ctx->uri, ctx->items, 0, 0, now);
    } else {
        load(world, user, "", {"spotify:track:fakeTrack01"}, 0, 0, now);
    }
    user.playback.is_playing = false;
}

void set_playing(World& world, User& user, bool playing, int64_t now) {
    Playback& pb = user.playback;
    if (playing && !pb.current.empty() && pb.progress_ms >= duration_of(world, pb.current)) {
        // Resuming after the context ran out starts it again, as the apps do.
        pb.index = 0;
        pb.current = pb.order.empty() ? pb.current : pb.order[0];
        pb.progress_ms = 0;
    }
    pb.is_playing = playing;
    touch(pb, now);
}

void skip_next(World& world, User& user, int64_t now) {
    Playback& pb = user.playback;
    if (pb.progress_ms >= kPlayedAfterMs) record_play(user, pb.current, now);
    touch(pb, now);
    if (advance_item(pb)) {
        pb.progress_ms = 0;
        pb.is_playing = true;
    } else {
        pb.progress_ms = duration_of(world, pb.current);
        pb.is_playing = false;
    }
}

void skip_previous(World& /*world*/, User& user, int64_t now) {
    Playback& pb = user.playback;
    touch(pb, now);
    pb.is_playing = true;
    bool from_queue = pb.order.empty() || pb.order[pb.index] != pb.current;
    if (pb.progress_ms <= kPreviousRestartsAfterMs && !pb.order.empty()) {
        if (from_queue) {
            pb.current = pb.order[pb.index];
        } else if (pb.index > 0) {
            pb.current = pb.order[--pb.index];
        } else if (pb.repeat == "context") {
            pb.index = pb.order.size() - 1;
            pb.current = pb.order[pb.index];
        }
    }
    pb.progress_ms = 0;
}

void seek(World& world, User& user, int64_t position_ms, int64_t now) {
    Playback& pb = user.playback;
    if (position_ms >= duration_of(world, pb.current)) {
        skip_next(world, user, now);
        return;
    }
    pb.progress_ms = position_ms;
    touch(pb, now);
}

}  // namespace fake_spotify
