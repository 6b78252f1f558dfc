// A population of simulated accounts with listening habits (bench/listening_day_bench.cpp), to
// measure the bridge's learned idle schedule fairly against Home Assistant's fixed one.
//
// Each account is of one type (when its habitual sessions are, on weekdays and at the weekend);
// everything about it is drawn from one seed: the habitual hours (the type's hour ± 1 h), how
// much each start wanders around it (a normal spread of 10–40 min), how likely each habitual
// session is on a given day (60–95 %), how long it plays, and how many sessions a day start at
// a random hour instead (22–35 % of all starts). Half-way through, every habitual hour is drawn
// again: the habits change.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/ListeningDay.h"

namespace s2m::bench {

struct HabitSession {
    double hour = 0;     // when it usually starts, hours after midnight
    double minutes = 0;  // how long it plays
    double chance = 1;   // that it happens on a given day
};

struct Persona {
    std::string type;
    // [0]: before the habit change, [1]: after; each: weekday sessions, weekend sessions.
    std::vector<HabitSession> weekday[2], weekend[2];
    double spread_minutes = 20;  // the standard deviation of a start around its habitual hour
    double off_habit_share = 0.25;
};

inline constexpr const char* kPersonaTypes[] = {"commuter", "home office", "evenings",
                                                "occasional"};

// An account of `type` drawn from `random`.
Persona draw_persona(const std::string& type, std::mt19937& random);

struct PlannedDay {
    ListeningDay day;
    std::vector<bool> off_habit;  // per session of the day
    int starts = 0;               // sessions (starts from idle)
};

// Day `index` (0 is a Monday) of `persona`; `changed`: after the habit change.
PlannedDay plan_day(const Persona& persona, int index, bool changed, std::mt19937& random);

}  // namespace s2m::bench
