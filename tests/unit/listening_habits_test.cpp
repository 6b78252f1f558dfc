// ListeningHabits and the quiet plan with a fake clock (explicit times): what the bridge learns
// of when an account starts music, how fast it follows a change, what it keeps in its file, and
// how the reads of a day are spread from it (docs/configuration.md#polling).
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "core/ListeningHabits.h"
#include "core/QuietPlan.h"

using namespace s2m;

namespace {

constexpr int64_t kLearnHour = 3600 * 1000;
constexpr int64_t kLearnDay = 24 * kLearnHour;
constexpr int64_t kLearnMonday = 1767571200000;  // 2026-01-05 00:00 UTC

// `days` days from `first_day` watched quiet around the clock, with a start every weekday at
// `hour`:10 (and at the weekend at `weekend_hour`:10 when given).
void live_days(ListeningHabits& habits, int first_day, int days, int hour, int weekend_hour = -1) {
    for (int d = first_day; d < first_day + days; ++d) {
        int64_t midnight = kLearnMonday + d * kLearnDay;
        for (int64_t at = midnight; at < midnight + kLearnDay; at += kLearnHour)
            habits.watched(at, at + kLearnHour, true, true);
        int h = d % 7 >= 5 ? weekend_hour : hour;
        if (h >= 0) habits.started(midnight + h * kLearnHour + 10 * 60000);
    }
}

}  // namespace

TEST_CASE("hours of the week count from Monday 00:00", "[habits]") {
    CHECK(hour_of_week(kLearnMonday) == 0);
    CHECK(hour_of_week(kLearnMonday + 7 * kLearnHour + 5) == 7);
    CHECK(hour_of_week(kLearnMonday + 5 * kLearnDay) == 120);  // Saturday
    CHECK(hour_of_week(kLearnMonday + 7 * kLearnDay) == 0);
    CHECK(hour_of_week(kLearnMonday - kLearnHour) == 167);  // the Sunday before
}

TEST_CASE("with nothing learned every hour has the same modest rate", "[habits]") {
    ListeningHabits habits;
    WeekHours rates = habits.start_rates();
    CHECK(rates[3] == Approx(rates[100]));
    CHECK(rates[3] > 0.05);
    CHECK(rates[3] < 0.5);
    CHECK(habits.paced_shares()[10] == Approx(1.0));
}

TEST_CASE("a daily habit stands out within days, weekdays apart from the weekend", "[habits]") {
    ListeningHabits habits;
    live_days(habits, 0, 4, 7);  // Monday to Thursday at 7:10
    WeekHours rates = habits.start_rates();
    // Friday 7 o'clock has never been seen, but every other weekday says it is likely.
    CHECK(rates[4 * 24 + 7] > 5 * rates[4 * 24 + 3]);
    live_days(habits, 4, 10, 7, 11);  // two weeks: weekdays at 7, weekends at 11
    rates = habits.start_rates();
    CHECK(rates[24 + 7] > 5 * rates[24 + 3]);
    CHECK(rates[5 * 24 + 11] > 3 * rates[5 * 24 + 7]);  // Saturday: 11, not 7
    CHECK(rates[24 + 7] > 3 * rates[24 + 11]);          // Tuesday: 7, not 11
    // A start at 7:10 says something of 8 o'clock too, less of noon.
    CHECK(rates[24 + 8] > rates[24 + 12]);
}

TEST_CASE("habits that change are followed within days", "[habits]") {
    ListeningHabits habits;
    live_days(habits, 0, 28, 7, 7);    // four weeks at 7
    live_days(habits, 28, 5, 19, 19);  // then five days at 19
    WeekHours rates = habits.start_rates();
    int thursday = 3 * 24;
    // Five days on, 19 o'clock already stands out as much as a habit does.
    CHECK(rates[thursday + 19] > 5 * rates[thursday + 3]);
    live_days(habits, 33, 9, 19, 19);  // two weeks on, the new habit is the main one
    rates = habits.start_rates();
    CHECK(rates[thursday + 19] > rates[thursday + 7]);
}

TEST_CASE("hours the bridge did not watch are no evidence that nobody listens", "[habits]") {
    ListeningHabits habits;
    // Watched only 8 to 20 every day for two weeks, starts at 9.
    for (int d = 0; d < 14; ++d) {
        int64_t midnight = kLearnMonday + d * kLearnDay;
        for (int h = 8; h < 20; ++h)
            habits.watched(midnight + h * kLearnHour, midnight + (h + 1) * kLearnHour, true, true);
        habits.started(midnight + 9 * kLearnHour + 60000);
    }
    WeekHours rates = habits.start_rates();
    // Unwatched 3 o'clock borrows the account's overall rate: more than a watched empty hour.
    CHECK(rates[3] > rates[15]);
    // A span longer than an hour (a suspended machine) counts as one hour.
    ListeningHabits gap;
    gap.watched(kLearnMonday, kLearnMonday + 10 * kLearnHour, true, true);
    CHECK(gap.hours_watched() == Approx(1.0));
}

TEST_CASE("the calls spent outside the plan are measured per watched day", "[habits]") {
    ListeningHabits habits;
    CHECK(habits.spent_per_day(1000) == Approx(1000));  // the prior until something is watched
    for (int d = 0; d < 10; ++d) {
        int64_t midnight = kLearnMonday + d * kLearnDay;
        for (int64_t at = midnight; at < midnight + kLearnDay; at += kLearnHour)
            habits.watched(at, at + kLearnHour, false, false);
        habits.spent(1500, midnight + kLearnDay);
    }
    CHECK(habits.spent_per_day(1000) == Approx(1500).epsilon(0.05));
}

TEST_CASE("habits are kept as JSON and anything else is refused", "[habits]") {
    ListeningHabits habits;
    live_days(habits, 0, 10, 8, 12);
    habits.spent(300, kLearnMonday + 10 * kLearnDay);
    auto back = ListeningHabits::from_json(habits.to_json());
    REQUIRE(back.ok());
    WeekHours a = habits.start_rates(), b = back.value().start_rates();
    for (int w = 0; w < kHoursPerWeek; ++w) CHECK(b[w] == Approx(a[w]).epsilon(0.01));
    CHECK(back.value().spent_per_day(0) == Approx(habits.spent_per_day(0)).epsilon(0.01));

    nlohmann::json good = habits.to_json();
    for (auto broken :
         {nlohmann::json::array(), nlohmann::json{{"version", 2}}, good, good, good, good, good}) {
        static int i = 0;
        switch (i++) {
            case 2:
                broken["starts"] = nlohmann::json::array({1, 2, 3});
                break;
            case 3:
                broken["quiet_hours"][5] = -1;
                break;
            case 4:
                broken["watched_hours"][0] = "many";
                break;
            case 5:
                broken["spent_calls"] = 1e300;
                break;
            case 6:
                broken.erase("decayed_at_ms");
                break;
            default:
                break;
        }
        CHECK_FALSE(ListeningHabits::from_json(broken).ok());
    }
    for (const nlohmann::json& version :
         {nlohmann::json(3), nlohmann::json("2"), nlohmann::json()}) {
        nlohmann::json other = good;
        other["version"] = version;
        CHECK_FALSE(ListeningHabits::from_json(other).ok());
    }
}

TEST_CASE("habits kept in UTC hours by an older version move to local hours", "[habits]") {
    ListeningHabits habits;
    live_days(habits, 0, 14, 7, 1);  // weekdays at 7:10 UTC, the weekend at 1:10 UTC
    CHECK(habits.to_json()["version"] == 2);
    CHECK_FALSE(ListeningHabits::from_json(habits.to_json()).value().kept_in_utc());
    nlohmann::json old = habits.to_json();
    old["version"] = 1;
    auto kept = ListeningHabits::from_json(old);
    REQUIRE(kept.ok());
    REQUIRE(kept.value().kept_in_utc());

    auto busiest = [](const WeekHours& rates, int day) {
        auto first = rates.begin() + day * 24;
        return static_cast<int>(std::max_element(first, first + 24) - first);
    };
    ListeningHabits east = kept.value();
    east.move_to_local_hours(2);  // UTC+2: 7:10 UTC is 9:10 local
    CHECK_FALSE(east.kept_in_utc());
    CHECK(busiest(east.start_rates(), 0) == 9);
    CHECK(east.to_json()["version"] == 2);
    ListeningHabits west = kept.value();
    // UTC-5: Monday 7:10 UTC is 2:10, Sunday 1:10 UTC is Saturday 20:10 (across midnight and days)
    west.move_to_local_hours(-5);
    CHECK(busiest(west.start_rates(), 0) == 2);
    CHECK(busiest(west.start_rates(), 5) == 20);
    CHECK(west.starts_seen() == Approx(habits.starts_seen()).epsilon(0.001));  // kept rounded
}

TEST_CASE("the quiet plan spends the allowance, most where starts are likely", "[habits]") {
    WeekHours rates{}, shares{};
    rates.fill(0.04);
    shares.fill(1.0);
    // Flat habits: every hour the same interval, and the day's reads are the allowance.
    WeekIntervals flat = plan_quiet_intervals(rates, shares, 1440, 5000, 600000);
    CHECK(flat[3] == flat[77]);
    CHECK(flat[3] == Approx(60000).epsilon(0.01));
    CHECK(quiet_reads_per_week(flat, shares) == Approx(7 * 1440).epsilon(0.01));

    // Starts 16 times as likely at 7: read 4 times as often then (the square-root rule).
    for (int d = 0; d < 7; ++d) rates[d * 24 + 7] = 0.64;
    WeekIntervals peaked = plan_quiet_intervals(rates, shares, 1440, 5000, 600000);
    CHECK(static_cast<double>(peaked[3]) / peaked[7] == Approx(4.0).epsilon(0.01));
    CHECK(quiet_reads_per_week(peaked, shares) == Approx(7 * 1440).epsilon(0.01));

    // Bounds: never below the floor, never above the ceiling, whatever the allowance.
    WeekIntervals rich = plan_quiet_intervals(rates, shares, 1e9, 5000, 120000);
    WeekIntervals poor = plan_quiet_intervals(rates, shares, 1, 5000, 120000);
    for (int w = 0; w < kHoursPerWeek; ++w) {
        CHECK(rich[w] == 5000);
        CHECK(poor[w] == 120000);
    }
}
