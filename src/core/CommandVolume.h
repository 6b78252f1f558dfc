// Internal to the command key table (CommandKeys.cpp): the keys that change the volume, with
// their values, plans and predictions (CommandVolume.cpp, docs/mqtt-commands.md#volume-and-mute).
//
//   volume        0–100, or "+N" / "-N" relative to the current volume (clamped to 0–100)
//   volume_level  Home Assistant's 0.0–1.0 → volume
//   mute          true: set the volume aside and set 0; false: put it back
#pragma once

#include <cstdint>
#include <string>

#include "core/Command.h"
#include "core/CommandPlan.h"
#include "core/JsonFields.h"
#include "core/PlaybackState.h"
#include "core/Result.h"

namespace s2m {
class Planning;  // core/CommandPlanning.h
}

namespace s2m::command_values {

Status parse_volume(const std::string& name, const Json& value, CommandSet& out);
Status parse_volume_level(const std::string& name, const Json& value, CommandSet& out);
Status parse_mute(const std::string& name, const Json& value, CommandSet& out);
bool asks_volume(const CommandSet& commands);  // an absolute or a relative volume
bool plan_volume(const CommandSet& commands, Planning& planning);
bool plan_mute(const CommandSet& commands, Planning& planning);
// The volume the plan sends (volume and mute).
void predict_volume(const CommandSet& commands, const CommandPlan& plan, PlaybackState& after,
                    int64_t now_ms);

}  // namespace s2m::command_values
