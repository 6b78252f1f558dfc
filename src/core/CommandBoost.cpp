#include "core/CommandBoost.h"

#include "core/CommandPlanning.h"
#include "core/CommandValues.h"
#include "core/Encoding.h"

namespace s2m {

bool boost_only(const CommandSet& commands) {
    CommandSet only;
    only.boost_s = commands.boost_s;
    return commands.boost_s.has_value() && commands == only;
}

}  // namespace s2m

namespace s2m::command_values {

Status parse_boost(const std::string& name, const Json& value, CommandSet& out) {
    // Words first: in the plain form ON and "" are text, true and false are JSON booleans.
    std::string word = "-";  // no word
    if (value.is_string()) word = ascii_lowercase(trim(value.get_ref<const std::string&>()));
    if (value.is_boolean()) word = value.get<bool>() ? "true" : "false";
    if (word.empty() || word == "true" || word == "on" || word == "yes") {
        out.boost_s = kDefaultBoostS;
        return ok_status();
    }
    if (word == "false" || word == "off" || word == "no") {
        out.boost_s = 0;
        return ok_status();
    }
    if (auto seconds = whole_number(value, 0, kMaxBoostS)) {
        out.boost_s = *seconds;
        return ok_status();
    }
    return invalid(name + " must be a number of seconds from 0 to " + std::to_string(kMaxBoostS) +
                   " (1 h; 0 ends a boost), or true for " + std::to_string(kDefaultBoostS) +
                   " s; got " + describe(value));
}

bool plan_boost(const CommandSet& c, Planning& p) {
    p.plan().boost_s = *c.boost_s;
    p.plan().data["boost_s"] = *c.boost_s;
    return true;
}

}  // namespace s2m::command_values
