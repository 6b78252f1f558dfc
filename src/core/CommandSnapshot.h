// Internal to the command key table (CommandKeys.cpp): snapshot and restore, their values and
// plans (CommandSnapshot.cpp, docs/mqtt-commands.md#snapshot-and-restore).
//
//   snapshot  a name (1–64 of a-z 0-9 - _) or true for "default": remember the player as a fresh
//             look shows it; the bridge keeps it (CommandPlan::memory) once the plan succeeded
//   restore   a name or true: put that snapshot back (the bridge looks it up before planning:
//             AccountKnowledge::restoring; an unknown name never reaches the planner)
#pragma once

#include <string>

#include "core/Command.h"
#include "core/CommandPlan.h"
#include "core/JsonFields.h"
#include "core/Result.h"

namespace s2m {
class Planning;  // core/CommandPlanning.h
}

namespace s2m::command_values {

Status parse_snapshot(const std::string& name, const Json& value, CommandSet& out);
Status parse_restore(const std::string& name, const Json& value, CommandSet& out);
bool plan_snapshot(const CommandSet& commands, Planning& planning);
// Device first (a transfer when another one is active), then the context with the item as offset
// and the position, then volume, shuffle and repeat, and finally pause when it was paused. A
// snapshot of an idle player only pauses (nothing at all when nothing plays).
bool plan_restore(const CommandSet& commands, Planning& planning);

}  // namespace s2m::command_values
