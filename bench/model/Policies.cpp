#include "model/Policies.h"

#include <algorithm>
#include <optional>
#include <string>

#include "core/Liked.h"
#include "core/Listening.h"
#include "core/PollSchedule.h"
#include "core/StateDiff.h"
#include "core/UpNext.h"

namespace s2m::bench {

namespace {
constexpr int64_t kHourMs = 3600 * 1000;
}

PollSchedule bridge_schedule(const PollingConfig& polling, const FeaturesConfig& features,
                             const QuietPace& pace) {
    return PollSchedule(polling, int(features.queue) + int(features.liked), pace);
}

DayRun run_bridge(const ListeningDay& day, const PollingConfig& polling,
                  const FeaturesConfig& features) {
    PollSchedule schedule = bridge_schedule(polling, features);
    return run_bridge(day, schedule, 0, features);
}

DayRun run_bridge(const ListeningDay& day, PollSchedule& schedule, int64_t day_start_ms,
                  const FeaturesConfig& features) {
    return run_bridge_slice(day, schedule, day_start_ms, 0, day.length_ms(), features);
}

DayRun run_bridge_slice(const ListeningDay& day, PollSchedule& schedule, int64_t day_start_ms,
                        int64_t from_ms, int64_t to_ms, const FeaturesConfig& features) {
    DayRun run;
    std::optional<std::string> queue_read_for;  // as app/modules/UpNextModule keeps it
    std::optional<std::string> liked_read_for;  // as app/modules/LikedModule keeps it
    RecentReads recent;                         // as app/modules/RecentModule keeps it
    TopReads top;                               // as app/modules/TopModule keeps it
    const int64_t end = day_start_ms + to_ms;
    for (int64_t clock = std::max(day_start_ms + from_ms, schedule.next_read_at()); clock < end;
         clock = schedule.next_read_at()) {
        const int64_t at = clock - day_start_ms;
        PollExtras extras = schedule.extras(clock);
        run.reads.push_back(at);
        ++run.player_calls;
        PlaybackState state = day.player_at(at);
        state.position_updated_at_ms = clock;
        schedule.player_read(state, clock);
        if (state.state == PlayerState::Idle) {
            queue_read_for.reset();
            liked_read_for.reset();
        }
        if (features.queue && queue_read_due(state, queue_read_for)) {
            queue_read_for = state.track->uri;
            ++run.queue_calls;
            run.list_calls.push_back(at);
        }
        if (features.liked && liked_read_due(state, liked_read_for)) {
            liked_read_for = state.track->uri;
            ++run.liked_calls;
            run.list_calls.push_back(at);
        }
        // The daemon decides at each published state and when the 10 minutes end; polls come
        // every few seconds while playing, so deciding at each poll counts the same reads.
        recent.saw(state);
        if (features.recent && recent.due(state, at)) {
            recent.read(at);
            ++run.recent_calls;
        }
        if (features.top && top.due(/*online=*/true, at)) {
            top.read_at_ms = at;
            run.top_calls += 2;  // tracks and artists
        }
        if (extras.devices) {
            ++run.device_calls;
            schedule.devices_read(clock);
            run.list_calls.push_back(at);
        }
        if (extras.playlists) {
            ++run.playlist_calls;
            schedule.playlists_read(clock);
            run.list_calls.push_back(at);
        }
    }
    run.token_calls = (to_ms - from_ms + kHourMs - 1) / kHourMs;
    return run;
}

DayRun run_home_assistant(const ListeningDay& day) {
    DayRun run;
    int64_t at = 0;
    while (at < day.length_ms()) {
        run.reads.push_back(at);
        ++run.player_calls;
        PlaybackState state = day.player_at(at);
        int64_t next = at + kHaIntervalMs;
        if (auto remaining = remaining_ms(state, at))
            next = std::min(next, at + *remaining + kHaTrackEndDelayMs);
        at = std::max(next, at + 1);
    }
    for (int64_t t = 0; t < day.length_ms(); t += kHaDevicesEveryMs) run.list_calls.push_back(t);
    run.device_calls = static_cast<int64_t>(run.list_calls.size());
    run.token_calls = (day.length_ms() + kHourMs - 1) / kHourMs;
    return run;
}

std::vector<Seen> staleness(const ListeningDay& day, const std::vector<Observation>& shown) {
    std::vector<Seen> out;
    const auto& changes = day.changes();
    for (size_t i = 0; i < changes.size(); ++i) {
        const Change& change = changes[i];
        size_t segment = day.change_segments()[i];
        // The first observation at or after the change that shows its segment or a later one.
        auto seen =
            std::lower_bound(shown.begin(), shown.end(), change.at_ms,
                             [](const Observation& o, int64_t at_ms) { return o.at_ms < at_ms; });
        while (seen != shown.end() && seen->segment < segment) ++seen;
        if (seen == shown.end()) continue;
        out.push_back(Seen{change.kind, change.during_playback, change.at_ms,
                           seen->at_ms - change.at_ms, change.session, change.from_idle});
    }
    return out;
}

std::vector<Seen> staleness(const ListeningDay& day, const DayRun& run) {
    std::vector<Observation> shown;
    shown.reserve(run.reads.size());
    for (int64_t at : run.reads) shown.push_back(Observation{at, day.segment_at(at)});
    return staleness(day, shown);
}

}  // namespace s2m::bench
