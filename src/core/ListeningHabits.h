// When an account starts music, learned from the bridge's own reads
// (docs/configuration.md#polling). Pure: it is told what the reads showed and when, and answers
// with a predicted rate of starts, so the daemon (through core/PollSchedule) and the listening-day
// simulation of bench/ run the same code.
//
// The model: for each hour of the week (Monday 00:00 is hour 0) a count of playback starts
// (the player went from paused or idle to playing) and the hours the bridge watched the player
// while it was NOT playing, that is while a start could have happened. Both decay with a half-life
// of kHalfLifeDays, so habits that change are followed within days. A rate is starts per watched
// quiet hour, which keeps apart "nobody listens at 4 a.m." from "the bridge was not running at
// 4 a.m." (no watched hours: no evidence either way).
//
// One hour of one week is seen once a week: too little on its own. So each hour's rate is pulled
// towards the same hour on the other days of its kind (weekdays or the weekend), which is seen
// five or two times a week, and that in turn towards the account's rate over the whole week
// (empirical-Bayes shrinkage: the less an hour was watched, the more it borrows). Starts also
// spill by a quarter into the neighbouring hours, since a habit at 7:55 is one at 8:05 too.
//
// The times it is told are local times (core/PollSchedule adds the zone's offset), so that 7
// o'clock stays 7 o'clock across daylight saving time and the weekend starts at the account's
// own midnight. Files of version 1 counted UTC hours; kept_in_utc() says so.
#pragma once

#include <array>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "core/Result.h"

namespace s2m {

inline constexpr int kHoursPerWeek = 168;
inline constexpr double kHalfLifeDays = 10.0;
using WeekHours = std::array<double, kHoursPerWeek>;

// The hour of the week (0–167, Monday 00:00 is 0) of a time in ms since 1970-01-01 00:00 (a Unix
// time gives UTC hours, a local one local hours).
int hour_of_week(int64_t at_ms);

class ListeningHabits {
  public:
    // The bridge watched the player from `from_ms` to `to_ms`; `quiet`: it was not playing;
    // `paced`: the reads were paced by the habits (not a tail after a pause, nor a boost). Spans
    // longer than an hour count as one hour (a suspended machine watched nothing).
    void watched(int64_t from_ms, int64_t to_ms, bool quiet, bool paced);
    // A read showed playback started (it was paused or idle at the read before).
    void started(int64_t at_ms);
    // The account spent `calls` API calls the idle schedule does not plan itself.
    void spent(double calls, int64_t at_ms);
    // A read the habits paced (to compare with what the plan predicted).
    void paced_read(int64_t at_ms);

    // Predicted starts per quiet hour, for each hour of the week.
    WeekHours start_rates() const;
    // The share of each hour of the week that the habits pace (1 where nothing was watched).
    WeekHours paced_shares() const;
    // Calls per watched day outside the idle schedule; `prior` until some hours were watched.
    double spent_per_day(double prior) const;

    // Reads the habits paced per watched day (0 until a day is watched).
    double paced_per_day() const;

    // Read from a file that counted hours in UTC (version 1).
    bool kept_in_utc() const { return kept_in_utc_; }
    // Moves every hour `hours` later (UTC+1: 7:00 UTC becomes 8:00 local), and the hours are
    // local from then on.
    void move_to_local_hours(int hours);
    // The time of the last thing it was told (-1: nothing yet).
    int64_t last_seen_ms() const { return decayed_at_ms_; }

    double starts_seen() const;    // decayed
    double hours_watched() const;  // decayed
    int64_t starts_revision() const { return starts_revision_; }

    nlohmann::json to_json() const;
    // An Error naming what is wrong when `json` is not what to_json wrote (the caller starts
    // afresh and says so).
    static Result<ListeningHabits> from_json(const nlohmann::json& json);

  private:
    void decay_to(int64_t at_ms);

    WeekHours starts_{};
    WeekHours quiet_hours_{};
    WeekHours watched_hours_{};
    WeekHours paced_hours_{};
    double spent_calls_ = 0;
    double paced_calls_ = 0;
    int64_t decayed_at_ms_ = -1;
    int64_t starts_revision_ = 0;  // not kept: tells the daemon when to save
    bool kept_in_utc_ = false;
};

}  // namespace s2m
