// PollSchedule with a fake clock: intervals per state, track ends, confirmations, the device and
// playlist lists on their own schedules and on demand, and the minimum gap.
#include <catch2/catch.hpp>
#include <vector>

#include "core/PollSchedule.h"

using namespace s2m;

namespace {

PlaybackState playing(int64_t position, int64_t at_ms, std::optional<int64_t> duration = 200000) {
    PlaybackState state;
    state.state = PlayerState::Playing;
    state.track = Track{"spotify:track:1", "One", {"Band"}, "LP", std::nullopt, duration, "track"};
    state.position_ms = position;
    state.position_updated_at_ms = at_ms;
    return state;
}

PlaybackState in_state(PlayerState player) {
    PlaybackState state = playing(0, 0);
    state.state = player;
    return state;
}

// The figures below are worked out for reads every 10 s while playing.
constexpr PollingConfig kEveryTenSeconds{.playing_interval_s = 10};

// A schedule whose first read (with both lists) happened at `at_ms`.
PollSchedule read_once(const PlaybackState& state, int64_t at_ms,
                       PollingConfig polling = kEveryTenSeconds) {
    PollSchedule schedule(polling);
    schedule.player_read(state, at_ms);
    schedule.devices_read(at_ms);
    schedule.playlists_read(at_ms);
    return schedule;
}

}  // namespace

TEST_CASE("the first read is due at once and fetches both lists", "[poll_schedule]") {
    PollSchedule schedule;
    CHECK(schedule.next_read_at() == 0);
    CHECK(schedule.extras(5).devices);
    CHECK(schedule.extras(5).playlists);
    CHECK_FALSE(schedule.has_read());
}

TEST_CASE("playing reads at its interval, paused and idle never further apart than theirs",
          "[poll_schedule]") {
    const int64_t t = 1'000'000;
    const PollingConfig defaults;
    // A small budget: the reads while paused or idle sit at the ceilings.
    PollingConfig poor{.daily_budget = kMinDailyBudget};
    CHECK(read_once(in_state(PlayerState::Idle), t, poor).next_read_at() ==
          t + defaults.idle_interval_s * 1000);
    CHECK(read_once(in_state(PlayerState::Paused), t, poor).next_read_at() ==
          t + defaults.paused_interval_s * 1000);
    // With the default budget and nothing learned yet, no later than the ceilings either.
    CHECK(read_once(in_state(PlayerState::Idle), t).next_read_at() <=
          t + defaults.idle_interval_s * 1000);
    // (A track of unknown length: no track end to space the reads towards.)
    CHECK(read_once(playing(0, t, std::nullopt), t, defaults).next_read_at() ==
          t + defaults.playing_interval_s * 1000);
    PollingConfig custom{.playing_interval_s = 5,
                         .paused_interval_s = 20,
                         .idle_interval_s = 120,
                         .daily_budget = kMinDailyBudget};
    CHECK(read_once(in_state(PlayerState::Idle), t, custom).next_read_at() == t + 120000);
    CHECK(read_once(playing(0, t, std::nullopt), t, custom).next_read_at() == t + 5000);
}

TEST_CASE("while playing, a read comes just after the predicted end of the track",
          "[poll_schedule]") {
    const int64_t t = 1'000'000;
    // 5 s left: the read comes 5 s + margin later instead of after 10 s.
    CHECK(read_once(playing(195000, t), t).next_read_at() == t + 5000 + kTrackEndMarginMs);
    // The position was reported 2 s before the read: 3 s are left at the read.
    CHECK(read_once(playing(195000, t - 2000), t).next_read_at() == t + 3000 + kTrackEndMarginMs);
    // At the very end: never sooner than the minimum gap (Spotify has not switched yet).
    CHECK(read_once(playing(199950, t), t).next_read_at() == t + kMinPollGapMs);
    // Unknown duration: the interval.
    CHECK(read_once(playing(195000, t, std::nullopt), t).next_read_at() == t + 10000);
    // Paused near the end: no track-end read.
    PlaybackState paused = playing(195000, t);
    paused.state = PlayerState::Paused;
    CHECK(read_once(paused, t, PollingConfig{.daily_budget = kMinDailyBudget}).next_read_at() ==
          t + PollingConfig{}.paused_interval_s * 1000);
}

TEST_CASE("a track end read repeats every gap until the next track shows", "[poll_schedule]") {
    const int64_t t = 1'000'000;
    PollSchedule schedule = read_once(playing(199000, t), t);
    int64_t first = schedule.next_read_at();
    CHECK(first == t + 1000 + kTrackEndMarginMs);
    // Spotify still shows the old track at its end: ask again a gap later.
    schedule.player_read(playing(200000, first), first);
    CHECK(schedule.next_read_at() == first + kMinPollGapMs);
    // The new track: reads towards its end again, 200 s + margin in 21 steps.
    int64_t second = first + kMinPollGapMs;
    schedule.player_read(playing(300, second), second);
    CHECK(schedule.next_read_at() == second + (200000 - 300 + kTrackEndMarginMs) / 21);
}

TEST_CASE("while playing, the reads are spaced evenly up to the track's end", "[poll_schedule]") {
    const int64_t t = 1'000'000;
    // 95 s left: ten reads 9.54 s apart, the last just after the end, rather than nine at 10 s
    // and a tenth 5.4 s after the ninth: as many calls, no gap longer than it needs to be.
    PollSchedule schedule = read_once(playing(105000, t), t);
    const int64_t end_read = t + 95000 + kTrackEndMarginMs;
    int64_t at = t;
    std::vector<int64_t> gaps;
    while (at < end_read) {
        int64_t next = schedule.next_read_at();
        gaps.push_back(next - at);
        at = next;
        schedule.player_read(playing(105000 + (at - t), at), at);
    }
    CHECK(at == end_read);
    CHECK(gaps == std::vector<int64_t>(10, 9540));
    // 3 s left: one read, at the end.
    CHECK(read_once(playing(197000, t), t).next_read_at() == t + 3000 + kTrackEndMarginMs);
    // A skip mid-way: the new track's reads are spaced towards its own end.
    schedule.player_read(playing(0, at, 60000), at);
    CHECK(schedule.next_read_at() == at + (60000 + kTrackEndMarginMs) / 7);
}

TEST_CASE("confirmations come on top and are dropped once a read covers them", "[poll_schedule]") {
    const int64_t t = 1'000'000;
    PollSchedule schedule = read_once(in_state(PlayerState::Paused), t);
    schedule.confirm_at(t + 1500);
    schedule.confirm_at(t + 4000);
    CHECK(schedule.next_read_at() == t + 1500);
    schedule.player_read(in_state(PlayerState::Paused), t + 1600);
    CHECK(schedule.next_read_at() == t + 4000);
    schedule.player_read(in_state(PlayerState::Paused), t + 4000);
    CHECK(schedule.next_read_at() == t + 4000 + 30000);
    // A confirmation right after a read still waits for the minimum gap.
    schedule.confirm_at(t + 4100);
    CHECK(schedule.next_read_at() == t + 4000 + kMinPollGapMs);
}

TEST_CASE("the device list: every 5 min while active, every 15 min idle, at once when asked",
          "[poll_schedule]") {
    const int64_t t = 1'000'000;
    PollSchedule active = read_once(playing(0, t), t);
    CHECK_FALSE(active.extras(t + kDevicesActiveEveryMs - 1).devices);
    CHECK(active.extras(t + kDevicesActiveEveryMs).devices);
    PollSchedule idle =
        read_once(in_state(PlayerState::Idle), t, PollingConfig{.daily_budget = kMinDailyBudget});
    CHECK_FALSE(idle.extras(t + kDevicesActiveEveryMs).devices);
    CHECK(idle.extras(t + kDevicesIdleEveryMs).devices);

    // A device the bridge does not know: the next read fetches the list, and comes soon.
    idle.request_devices();
    CHECK(idle.extras(t + 10).devices);
    CHECK_FALSE(idle.extras(t + 10).playlists);
    CHECK(idle.next_read_at() == t + kMinPollGapMs);
    idle.player_read(in_state(PlayerState::Idle), t + kMinPollGapMs);
    idle.devices_read(t + kMinPollGapMs);
    CHECK_FALSE(idle.extras(t + kMinPollGapMs + 10).devices);
    CHECK(idle.next_read_at() == t + kMinPollGapMs + PollingConfig{}.idle_interval_s * 1000);
}

TEST_CASE("the playlists: every 30 min and when asked", "[poll_schedule]") {
    const int64_t t = 1'000'000;
    PollSchedule schedule = read_once(playing(0, t), t);
    CHECK_FALSE(schedule.extras(t + kPlaylistsEveryMs - 1).playlists);
    CHECK(schedule.extras(t + kPlaylistsEveryMs).playlists);
    schedule.request_playlists();
    CHECK(schedule.extras(t + 1).playlists);
    schedule.playlists_read(t + 2);
    CHECK_FALSE(schedule.extras(t + 3).playlists);
}

TEST_CASE("an hour of each state costs what the intervals say when the budget is small",
          "[poll_schedule]") {
    // Drive the schedule with its own answers for an hour (a track of unknown length, so no
    // track ends).
    const PollingConfig defaults;
    auto reads_per_hour = [](PlayerState player) {
        PollSchedule schedule(PollingConfig{.daily_budget = kMinDailyBudget});
        int64_t now = 0;
        int player_reads = 0;
        int list_reads = 0;
        while (now < 3'600'000) {
            PollExtras extras = schedule.extras(now);
            PlaybackState state = playing(now, now, std::nullopt);
            state.state = player;
            schedule.player_read(state, now);
            ++player_reads;
            if (extras.devices) schedule.devices_read(now), ++list_reads;
            if (extras.playlists) schedule.playlists_read(now), ++list_reads;
            now = schedule.next_read_at();
        }
        return std::make_pair(player_reads, list_reads);
    };
    CHECK(reads_per_hour(PlayerState::Playing) ==
          std::make_pair(3600 / defaults.playing_interval_s, 12 + 2));
    CHECK(reads_per_hour(PlayerState::Paused) ==
          std::make_pair(3600 / defaults.paused_interval_s, 12 + 2));
    CHECK(reads_per_hour(PlayerState::Idle) ==
          std::make_pair(3600 / defaults.idle_interval_s, 4 + 2));
}

TEST_CASE("failed reads back off exponentially to 5 min, spread so accounts do not herd",
          "[poll_schedule]") {
    CHECK(failure_backoff_ms(1, 0.5) == 4000);
    CHECK(failure_backoff_ms(2, 0.5) == 8000);
    CHECK(failure_backoff_ms(7, 0.5) == 256000);
    CHECK(failure_backoff_ms(8, 0.5) == 300000);  // capped
    CHECK(failure_backoff_ms(50, 0.5) == 300000);
    // ±25 %: the same failure count lands anywhere in [0.75, 1.25] of the base.
    CHECK(failure_backoff_ms(1, 0.0) == 3000);
    CHECK(failure_backoff_ms(1, 0.999999) == 4999);
    CHECK(failure_backoff_ms(8, 1.0) == 375000);
    CHECK(failure_backoff_ms(0, 0.5) == 4000);  // out-of-range inputs are clamped
    CHECK(failure_backoff_ms(3, -2.0) == 12000);
}

TEST_CASE("a boost spaces idle and paused reads at most kBoostIntervalMs apart until it ends",
          "[poll_schedule][boost]") {
    // Each schedule is compared with a twin that saw the same reads without the boost: the pace
    // the twin keeps is the learned one (core/QuietPlan.h), whatever it is.
    const int64_t t = 1'000'000;
    PollSchedule idle = read_once(in_state(PlayerState::Idle), t);
    PollSchedule idle_twin = read_once(in_state(PlayerState::Idle), t);
    REQUIRE(idle_twin.next_read_at() > t + kBoostIntervalMs);
    idle.boost_until(t + 20000);
    CHECK(idle.next_read_at() == t + kBoostIntervalMs);
    // Reads inside the boost stay fast; the first read at or after its end slows down again.
    idle.player_read(in_state(PlayerState::Idle), t + 15000);
    CHECK(idle.next_read_at() == t + 15000 + kBoostIntervalMs);
    idle.player_read(in_state(PlayerState::Idle), t + 20000);
    CHECK(idle.next_read_at() > t + 20000 + kBoostIntervalMs);

    PollSchedule paused = read_once(in_state(PlayerState::Paused), t);
    PollSchedule paused_twin = read_once(in_state(PlayerState::Paused), t);
    paused.boost_until(t + 60000);
    CHECK(paused.next_read_at() == t + kBoostIntervalMs);
    // A later call replaces the boost: a time in the past ends it.
    paused.boost_until(t - 1);
    CHECK(paused.next_read_at() == paused_twin.next_read_at());

    // Playing reads are not the boost's business (they are fast already).
    PollSchedule play = read_once(playing(0, t, std::nullopt), t);
    PollSchedule play_twin = read_once(playing(0, t, std::nullopt), t);
    play.boost_until(t + 60000);
    CHECK(play.next_read_at() == play_twin.next_read_at());
}
