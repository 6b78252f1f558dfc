// Internal to the command key table (CommandKeys.cpp): boost, its value and plan
// (CommandBoost.cpp, docs/mqtt-commands.md#boost).
//
//   boost  seconds (0–kMaxBoostS), or true / ON / an empty value for kDefaultBoostS, false / OFF
//          for 0: for that long the account's idle and paused reads come every few seconds
//          (core/PollSchedule.h: boost_until), for automations that know playback may start soon.
//          0 ends a boost. It makes no Spotify call: the bridge applies it once the message
//          succeeded (CommandPlan::boost_s).
#pragma once

#include <cstdint>
#include <string>

#include "core/Command.h"
#include "core/JsonFields.h"
#include "core/Result.h"

namespace s2m {
class Planning;  // core/CommandPlanning.h

inline constexpr int64_t kDefaultBoostS = 15 * 60;
// An hour: longer hints are better renewed by the automation (each boost costs reads; see
// docs/mqtt-commands.md#boost).
inline constexpr int64_t kMaxBoostS = 60 * 60;

// Whether a message asks for nothing but a boost: the bridge answers it at once, without a job
// or a token (CommandsModule).
bool boost_only(const CommandSet& commands);

}  // namespace s2m

namespace s2m::command_values {

Status parse_boost(const std::string& name, const Json& value, CommandSet& out);
bool plan_boost(const CommandSet& commands, Planning& planning);

}  // namespace s2m::command_values
