#include "core/CommandSnapshot.h"

#include <optional>
#include <string>

#include "core/CommandPlanning.h"
#include "core/CommandValues.h"
#include "core/Encoding.h"
#include "core/PlayerSnapshot.h"
#include "spotify/Endpoints.h"

namespace s2m::command_values {

namespace {

using endpoint::quoted;

// A snapshot name: text of 1–64 of a-z, 0-9, - and _, or true for "default". (In the plain form
// a bare number is JSON: 7 names the snapshot "7".)
Result<std::string> snapshot_name(const std::string& name, const Json& value) {
    if (value.is_boolean() && value.get<bool>()) return std::string(kDefaultSnapshot);
    std::string text;
    if (value.is_number_unsigned()) text = std::to_string(value.get<uint64_t>());
    if (value.is_string()) text = std::string(trim(value.get_ref<const std::string&>()));
    if (!is_snapshot_name(text)) {
        return invalid(name + " takes a snapshot name of 1 to 64 lower-case letters, digits, - " +
                       "and _ (e.g. \"doorbell\"), or true for \"default\"; got " +
                       describe(value));
    }
    return text;
}

// The device the snapshot played on: by id, else by name; a fresh list before it is missing.
bool snapshot_device(const PlayerSnapshot& s, Planning& p, std::optional<Device>& out) {
    const AccountKnowledge& k = p.known();
    const Device* found = nullptr;
    if (k.devices && s.device_id) found = find_device(*k.devices, *s.device_id);
    if (!found && k.devices && !s.device_name.empty())
        found = find_device(*k.devices, s.device_name);
    if (!found && p.active() && s.device_id && p.active()->id == s.device_id) found = &*p.active();
    if (!found) {
        if (!k.fresh_devices) return p.stop(Refresh::Devices);
        return p.stop(CommandError{
            reason::kUnknownDevice,
            "The snapshot was taken on " + quoted(s.device_name) +
                ", which Spotify does not list now (switched off?). Devices Spotify lists now: " +
                describe_devices(k.devices.value_or(std::vector<Device>{})) + "."});
    }
    if (found->is_restricted) return p.stop(not_controllable(*found));
    if (!found->id) {
        return p.stop(CommandError{
            reason::kDeviceNotControllable,
            quoted(found->name) + " has no device id, so the Web API cannot address it."});
    }
    out = *found;
    return true;
}

// Spotify's reference allows an offset only in an album or a playlist.
bool takes_offset(const std::string& context_uri) {
    return context_uri.starts_with("spotify:album:") ||
           context_uri.starts_with("spotify:playlist:") ||
           (context_uri.starts_with("spotify:user:") &&
            context_uri.find(":playlist:") != std::string::npos);
}

// The body that starts the snapshot's item again: in its album or playlist at that item; from
// any other context (an artist, a show, Liked Songs) the item alone, so item and position are
// right even though what follows it is not that context.
Json start_body(const PlayerSnapshot& s) {
    Json body = Json::object();
    if (s.context_uri && takes_offset(*s.context_uri)) {
        body["context_uri"] = *s.context_uri;
        body["offset"] = {{"uri", *s.item_uri}};
    } else {
        body["uris"] = Json::array({*s.item_uri});
    }
    if (s.position_ms > 0) body["position_ms"] = s.position_ms;
    return body;
}

// An idle snapshot: end not playing.
bool restore_idle(Planning& p) {
    if (!p.active()) return p.known().fresh_state || p.stop(Refresh::State);
    if (!p.playing()) return true;
    p.plan().transport = Transport::Pause;
    return p.control(endpoint::pause_playback());
}

}  // namespace

Status parse_snapshot(const std::string& name, const Json& value, CommandSet& out) {
    return assign(out.snapshot, snapshot_name(name, value));
}

Status parse_restore(const std::string& name, const Json& value, CommandSet& out) {
    return assign(out.restore, snapshot_name(name, value));
}

// Always from a fresh look: the last poll may be seconds old, and the position must be now's.
bool plan_snapshot(const CommandSet&, Planning& p) {
    const AccountKnowledge& k = p.known();
    if (!k.fresh_state) return p.stop(Refresh::State);
    p.plan().memory.snapshot = snapshot_of(k.state.value_or(PlaybackState{}));
    return true;
}

bool plan_restore(const CommandSet& c, Planning& p) {
    const std::optional<PlayerSnapshot>& found = p.known().restoring;
    if (!found) {  // the bridge looks it up before planning; this is a safety net
        return p.stop(CommandError{reason::kNotFound,
                                   "There is no snapshot named " + quoted(*c.restore) + "."});
    }
    const PlayerSnapshot& s = *found;
    if (s.state == PlayerState::Idle || !s.item_uri) return restore_idle(p);
    std::optional<Device> device;
    if (!snapshot_device(s, p, device)) return false;
    if (p.active() && p.active()->id != device->id) p.transfer(*device);
    p.start(*device, start_body(s), "play the snapshot's item again");
    if (s.volume && device->supports_volume) {
        if (!p.control(endpoint::set_volume(*s.volume))) return false;
    }
    if (s.shuffle && !p.control(endpoint::toggle_shuffle(*s.shuffle))) return false;
    if (s.repeat && !p.control(endpoint::set_repeat_mode(*s.repeat))) return false;
    if (s.state == PlayerState::Paused) {
        p.plan().transport = Transport::Pause;
        return p.control(endpoint::pause_playback());
    }
    p.plan().transport = Transport::Play;
    return true;
}

}  // namespace s2m::command_values
