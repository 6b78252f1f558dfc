// PollSchedule while paused or idle, with a fake clock: the fast tail after a pause, boosts, the
// reads learned from the account's habits and the daily budget they stay within
// (docs/configuration.md#polling).
#include <catch2/catch.hpp>

#include <functional>

#include "core/PollSchedule.h"

using namespace s2m;

namespace {

constexpr int64_t kHabitMinute = 60 * 1000;
constexpr int64_t kHabitHour = 60 * kHabitMinute;
constexpr int64_t kHabitDay = 24 * kHabitHour;
constexpr int64_t kHabitMonday = 1767571200000;  // 2026-01-05 00:00 UTC

PlaybackState habit_state(PlayerState player, const std::string& uri = "spotify:track:1") {
    PlaybackState state;
    state.state = player;
    if (player != PlayerState::Idle) {
        state.track = Track{uri, "One", {"Band"}, "LP", std::nullopt, std::nullopt, "track"};
    }
    return state;
}

// Drives `schedule` with its own answers from `from` to `to`; `player(t)` is what Spotify shows.
// Returns the calls it made (player reads and lists).
int drive_schedule(PollSchedule& schedule, int64_t from, int64_t to,
                   const std::function<PlayerState(int64_t)>& player) {
    int calls = 0;
    for (int64_t now = std::max(from, schedule.next_read_at()); now < to;
         now = schedule.next_read_at()) {
        PollExtras extras = schedule.extras(now);
        schedule.player_read(habit_state(player(now)), now);
        ++calls;
        if (extras.devices) schedule.devices_read(now), ++calls;
        if (extras.playlists) schedule.playlists_read(now), ++calls;
    }
    return calls;
}

// Music every day from 7:10 to 7:50, and nothing else.
PlayerState music_mornings(int64_t t) {
    int64_t in_day = (t - kHabitMonday) % kHabitDay;
    return in_day >= 7 * kHabitHour + 10 * kHabitMinute &&
                   in_day < 7 * kHabitHour + 50 * kHabitMinute
               ? PlayerState::Playing
               : PlayerState::Idle;
}

// A first read that also fetched both lists (which the first read always asks for).
void first_read(PollSchedule& schedule, PlayerState player, int64_t at_ms) {
    schedule.player_read(habit_state(player), at_ms);
    schedule.devices_read(at_ms);
    schedule.playlists_read(at_ms);
}

}  // namespace

TEST_CASE("after playback pauses or stops the reads come fast for a while", "[poll_schedule]") {
    const QuietPace pace;
    PollSchedule schedule;
    const int64_t t = kHabitMonday + 3 * kHabitHour;
    first_read(schedule, PlayerState::Playing, t);
    schedule.player_read(habit_state(PlayerState::Paused), t + 10000);
    CHECK(schedule.next_read_at() == t + 10000 + pace.tail_interval_ms);
    // Past the tail: the paused pace again, no faster than the tail.
    const int64_t later = t + 10000 + pace.tail_ms;
    schedule.player_read(habit_state(PlayerState::Paused), later);
    CHECK(schedule.next_read_at() > later + pace.tail_interval_ms);
    CHECK(schedule.next_read_at() <= later + PollingConfig{}.paused_interval_s * 1000);
}

TEST_CASE("a boost reads fast while idle until it ends, and counts in the budget",
          "[poll_schedule]") {
    PollSchedule schedule(PollingConfig{.daily_budget = kMinDailyBudget});
    const int64_t t = kHabitMonday + 3 * kHabitHour;
    first_read(schedule, PlayerState::Idle, t);
    const int64_t unboosted = schedule.next_read_at();
    CHECK(unboosted == t + PollingConfig{}.idle_interval_s * 1000);
    schedule.boost_until(t + 15 * kHabitMinute);
    CHECK(schedule.boosted_until() == t + 15 * kHabitMinute);
    CHECK(schedule.next_read_at() == t + kBoostIntervalMs);
    // A later boost replaces the earlier one (set/boost 0 ends a boost): a shorter one, then the
    // long one again.
    schedule.boost_until(t + kHabitMinute);
    CHECK(schedule.boosted_until() == t + kHabitMinute);
    schedule.boost_until(t + 15 * kHabitMinute);
    int boosted = drive_schedule(schedule, t + kBoostIntervalMs, t + 15 * kHabitMinute,
                                 [](int64_t) { return PlayerState::Idle; });
    CHECK(boosted >= 15 * 60 / 5 - 2);
    // Over: back to the idle pace.
    const int64_t after = schedule.next_read_at();
    schedule.player_read(habit_state(PlayerState::Idle), after);
    CHECK(schedule.next_read_at() == after + PollingConfig{}.idle_interval_s * 1000);
    // While playing a boost changes nothing.
    PollSchedule playing;
    first_read(playing, PlayerState::Playing, t);
    playing.boost_until(t + kHabitHour);
    CHECK(playing.next_read_at() == t + PollingConfig{}.playing_interval_s * 1000);

    // A boost every evening from 17 to 18 o'clock: the days still stay within the budget.
    PollSchedule daily;
    for (int d = 0; d < 7; ++d) {
        const int64_t midnight = kHabitMonday + d * kHabitDay;
        int calls = drive_schedule(daily, midnight, midnight + 17 * kHabitHour, music_mornings);
        daily.boost_until(midnight + 18 * kHabitHour);
        calls +=
            drive_schedule(daily, midnight + 17 * kHabitHour, midnight + kHabitDay, music_mornings);
        CHECK(calls <= PollingConfig{}.daily_budget);
    }
}

TEST_CASE("the idle reads follow the account's habits within the daily budget", "[poll_schedule]") {
    const PollingConfig defaults;
    PollSchedule schedule;
    int calls_week_two = 0;
    for (int d = 0; d < 14; ++d) {
        const int64_t midnight = kHabitMonday + d * kHabitDay;
        int calls = drive_schedule(schedule, midnight, midnight + kHabitDay, music_mornings);
        if (d >= 7) calls_week_two += calls;
        // Per-item reads, token refreshes and the like are set aside: the player and the lists
        // stay below the budget every day.
        CHECK(calls <= defaults.daily_budget);
    }
    CHECK(calls_week_two >= 7 * defaults.daily_budget * 8 / 10);  // and the budget is used
    // After two weeks: at 7 the reads are far closer than at 3 in the morning.
    const int64_t day15 = kHabitMonday + 14 * kHabitDay;
    CHECK(schedule.quiet_interval_at(day15 + 7 * kHabitHour, PlayerState::Idle) * 3 <
          schedule.quiet_interval_at(day15 + 3 * kHabitHour, PlayerState::Idle));
    CHECK(schedule.quiet_interval_at(day15 + 3 * kHabitHour, PlayerState::Idle) <=
          defaults.idle_interval_s * 1000);
    CHECK(schedule.habits().starts_seen() > 5);

    // What was learned survives a restart: a new schedule with the kept habits plans the same.
    auto kept = ListeningHabits::from_json(schedule.habits().to_json());
    REQUIRE(kept.ok());
    PollSchedule restarted;
    restarted.restore_habits(kept.value());
    restarted.player_read(habit_state(PlayerState::Idle), day15);
    CHECK(restarted.quiet_interval_at(day15 + 7 * kHabitHour, PlayerState::Idle) * 3 <
          restarted.quiet_interval_at(day15 + 3 * kHabitHour, PlayerState::Idle));
}

TEST_CASE("the habits count local hours, across daylight saving time", "[poll_schedule]") {
    // UTC+1 for the first week, UTC+2 from then (summer time); music every day at 7:10 local.
    const int64_t summer_from = kHabitMonday + 7 * kHabitDay + kHabitHour;
    auto offset = [summer_from](int64_t t) {
        return t < summer_from ? kHabitHour : 2 * kHabitHour;
    };
    auto local_mornings = [&](int64_t t) { return music_mornings(t + offset(t)); };
    PollSchedule schedule;
    schedule.use_local_time(offset);
    for (int d = 0; d < 14; ++d) {
        const int64_t midnight = kHabitMonday + d * kHabitDay;
        drive_schedule(schedule, midnight, midnight + kHabitDay, local_mornings);
    }
    // Every start was learned at 7 o'clock: 6:10 UTC in the first week, 5:10 UTC in the second.
    const WeekHours rates = schedule.habits().start_rates();
    CHECK(rates[7] > 1.5 * rates[6]);
    CHECK(rates[7] > 1.5 * rates[8]);
    CHECK(rates[7] > 3 * rates[5]);
    // And the reads are close at 7 local (5 UTC) on the third Monday, not at 7 UTC.
    const int64_t day15 = kHabitMonday + 14 * kHabitDay;
    CHECK(schedule.quiet_interval_at(day15 + 5 * kHabitHour, PlayerState::Idle) * 3 <
          schedule.quiet_interval_at(day15 + 7 * kHabitHour, PlayerState::Idle));
}

TEST_CASE("habits kept in UTC hours are read back as local hours", "[poll_schedule]") {
    PollSchedule learned;  // UTC: music at 7:10 UTC
    for (int d = 0; d < 14; ++d) {
        const int64_t midnight = kHabitMonday + d * kHabitDay;
        drive_schedule(learned, midnight, midnight + kHabitDay, music_mornings);
    }
    nlohmann::json old = learned.habits().to_json();
    old["version"] = 1;  // as the first version wrote it
    auto kept = ListeningHabits::from_json(old);
    REQUIRE(kept.ok());
    PollSchedule restarted;
    restarted.use_local_time([](int64_t) { return 3 * kHabitHour; });  // UTC+3
    restarted.restore_habits(kept.value());
    const WeekHours rates = restarted.habits().start_rates();
    CHECK(rates[10] > 3 * rates[7]);  // 7:10 UTC was 10:10 local
    CHECK_FALSE(restarted.habits().kept_in_utc());
}
