// The command keys of /set and /set/<key> (docs/mqtt-commands.md#keys), one row each. The rows'
// order is the execution order: whatever order a message lists its keys in, they are parsed,
// planned and predicted row by row. command_keys(), needs_premium(), the parser's key dispatch and
// the planner's order all read this table.
//
// A new key is its member in CommandSet (core/Command.h) and a row in CommandKeys.cpp with its
// functions beside it; the value parsers the keys share are in core/CommandValues.h, the planning
// steps in core/CommandPlanning.h, the Spotify requests in spotify/Endpoints.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/Command.h"
#include "core/CommandPlan.h"
#include "core/JsonFields.h"
#include "core/PlaybackState.h"
#include "core/Result.h"

namespace s2m {

class Planning;  // core/CommandPlanning.h

struct CommandKey {
    const char* name;
    // The plain form (/set/<name>) takes bare text: a payload such as 123 or true stays text.
    bool takes_text;
    // Spotify lets only Premium accounts control playback (refused before any call).
    bool needs_premium;
    // The value → the key's member of `out`; else an Error of kind Refused (INVALID_PAYLOAD).
    Status (*parse)(const std::string& name, const Json& value, CommandSet& out);
    // Whether `commands` asks for this key; nullptr when the key fills another key's member
    // (volume_level sets volume), which then plans and predicts it.
    bool (*asked)(const CommandSet& commands);
    // Adds the key's calls; false when planning stops (Planning::outcome says why).
    bool (*plan)(const CommandSet& commands, Planning& planning);
    // The state once the calls succeeded, as far as this key makes it certain; nullptr: nothing
    // is certain until the next poll.
    void (*predict)(const CommandSet& commands, const CommandPlan& plan, PlaybackState& after,
                    int64_t now_ms);
};

// The rows, in execution order (transaction is not a row: it only labels the response).
const std::vector<CommandKey>& command_key_table();
// The row named `name` exactly; nullptr when there is none.
const CommandKey* find_command_key(std::string_view name);

}  // namespace s2m
