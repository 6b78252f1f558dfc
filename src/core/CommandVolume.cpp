// The volume keys (core/CommandVolume.h). A relative step and a mute need the current volume:
// the bridge's last state when it has one, else a fresh look (the planner's Refresh::State).
#include "core/CommandVolume.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "core/CommandPlanning.h"
#include "core/CommandValues.h"
#include "core/Encoding.h"
#include "spotify/Endpoints.h"

namespace s2m::command_values {

namespace {

// The volume where controls go now: the state's, or the device's after a transfer in this plan.
std::optional<int> current_volume(const Planning& p) {
    const std::optional<Device>& active = p.active();
    if (!active) return std::nullopt;
    const std::optional<PlaybackState>& state = p.known().state;
    if (state && state->device && state->device->id == active->id && state->volume)
        return state->volume;
    return active->volume;
}

bool volume_allowed(Planning& p) {
    const std::optional<Device>& active = p.active();
    if (active && !active->is_restricted && !active->supports_volume) {
        return p.stop(CommandError{
            reason::kVolumeControlDisallow,
            endpoint::quoted(active->name) + " does not let Spotify change its volume."});
    }
    return true;
}

bool set_volume_to(int percent, Planning& p) {
    if (!volume_allowed(p) || !p.control(endpoint::set_volume(percent))) return false;
    p.plan().volume = percent;
    return true;
}

// The current volume, or false when planning stops: a fresh look first when the bridge does not
// know it, then NO_ACTIVE_DEVICE (nothing to change) or a device that reports none.
bool need_current_volume(Planning& p, const std::string& action, int& out) {
    std::optional<int> now = current_volume(p);
    if (now) {
        out = *now;
        return true;
    }
    if (!p.known().fresh_state) return p.stop(Refresh::State);
    endpoint::Request change = endpoint::set_volume(0);
    change.action = action;
    if (!p.active()) return p.control(change);  // refuses: nothing is active, and says so
    if (!volume_allowed(p)) return false;
    return p.stop(CommandError{reason::kVolumeControlDisallow,
                               "Cannot " + action + ": Spotify reports no volume for " +
                                   endpoint::quoted(p.active()->name) +
                                   ". Send a volume from 0 to 100 instead."});
}

std::string signed_text(int step) {
    return (step < 0 ? "-" : "+") + std::to_string(std::abs(step));
}

}  // namespace

// volume: a whole number 0–100 (fractions rounded: 49.6 → 50; "40" works too), or a string
// "+N" / "-N" (N 0–100) relative to the current volume.
Status parse_volume(const std::string& name, const Json& value, CommandSet& out) {
    if (value.is_string()) {
        std::string_view text = trim(value.get_ref<const std::string&>());
        if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
            auto step = whole_number(Json(std::string(text.substr(1))), 0, 100);
            if (!step || text.size() < 2 || text[1] == '+' || text[1] == '-') {
                return invalid(name + " steps are \"+N\" or \"-N\" with N a whole number from 0 " +
                               "to 100, got " + describe(value));
            }
            out.volume_step = static_cast<int>(text.front() == '-' ? -*step : *step);
            return ok_status();
        }
    }
    auto n = whole_number(value, 0, 100);
    if (!n) {
        return invalid(name + " must be a whole number from 0 to 100, got " + describe(value) +
                       " (\"+N\" or \"-N\" changes it by N)");
    }
    out.volume = static_cast<int>(*n);
    return ok_status();
}

bool asks_volume(const CommandSet& c) {
    return c.volume || c.volume_step;
}

bool plan_volume(const CommandSet& c, Planning& p) {
    if (!c.volume_step) return set_volume_to(*c.volume, p);
    int now = 0;
    if (!need_current_volume(p, "change the volume by " + signed_text(*c.volume_step), now))
        return false;
    return set_volume_to(std::clamp(now + *c.volume_step, 0, 100), p);
}

void predict_volume(const CommandSet&, const CommandPlan& plan, PlaybackState& after, int64_t) {
    if (!plan.volume) return;
    after.volume = *plan.volume;
    if (after.device) after.device->volume = *plan.volume;
}

// volume_level: Home Assistant's 0.0–1.0 (the media player sends "0.55") → volume.
Status parse_volume_level(const std::string& name, const Json& value, CommandSet& out) {
    std::optional<double> level;
    if (value.is_number()) level = value.get<double>();
    if (value.is_string()) level = number_from_text(value.get_ref<const std::string&>());
    if (!level || !std::isfinite(*level) || *level < 0.0 || *level > 1.0) {
        return invalid(name + " must be a number from 0.0 to 1.0 (use volume for 0–100), got " +
                       describe(value));
    }
    out.volume = static_cast<int>(std::lround(*level * 100.0));
    return ok_status();
}

// mute: a boolean, or the mqtt_media_player component's words mute / unmute.
Status parse_mute(const std::string& name, const Json& value, CommandSet& out) {
    if (value.is_string()) {
        std::string word = ascii_lowercase(trim(value.get_ref<const std::string&>()));
        if (word == "mute" || word == "unmute") {
            out.mute = word == "mute";
            return ok_status();
        }
    }
    auto on = boolean_of(name, value);
    if (!on) {
        return invalid(name + " must be true or false (also on/off, 1/0, mute/unmute), got " +
                       describe(value));
    }
    out.mute = on.value();
    return ok_status();
}

// Mute sets a volume above 0 aside and sets 0; at 0 already there is nothing to set aside (an
// earlier mute's volume stays). Unmute puts the set-aside volume back and forgets it; when a
// volume above 0 was set since, that volume stays; with nothing set aside it does nothing.
bool plan_mute(const CommandSet& c, Planning& p) {
    if (*c.mute) {
        int now = 0;
        if (!need_current_volume(p, "mute", now)) return false;
        if (now == 0) return true;
        if (!set_volume_to(0, p)) return false;
        p.plan().memory.muted_volume = now;
        return true;
    }
    std::optional<int> remembered = p.known().muted_volume;
    if (!remembered) return true;
    int now = 0;
    if (!need_current_volume(p, "unmute", now)) return false;
    p.plan().memory.unmuted = true;
    if (now > 0) return true;
    return set_volume_to(*remembered, p);
}

}  // namespace s2m::command_values
