// Planning a command (docs/mqtt-commands.md#execution-order): each key of the message adds its
// calls in the order of the command key table (CommandKeys.cpp), through the shared steps of
// Planning.
#include "core/CommandPlan.h"

#include "core/CommandKeys.h"
#include "core/CommandPlanning.h"
#include "core/Encoding.h"

namespace s2m {

using endpoint::quoted;

CommandError not_controllable(const Device& device) {
    return {reason::kDeviceNotControllable,
            quoted(device.name) +
                " is a restricted device: Spotify accepts no remote commands for it (Sonos and "
                "some TVs are like this). Control it from its own app, or pick another device."};
}

Planning::Planning(const AccountKnowledge& known) : known_(known) {
    if (known_.state && known_.state->state != PlayerState::Idle && known_.state->device) {
        active_ = known_.state->device;
    }
    playing_ = known_.state && known_.state->state == PlayerState::Playing;
}

bool Planning::stop(PlanOutcome why) {
    stop_ = std::move(why);
    return false;
}

void Planning::add(endpoint::Request request) {
    plan_.calls.push_back(std::move(request));
}

PlanOutcome Planning::outcome() {
    if (stop_) return std::move(*stop_);
    return std::move(plan_);
}

bool Planning::resolve_device(const std::string& name, std::optional<Device>& out) {
    const Device* found = known_.devices ? find_device(*known_.devices, name) : nullptr;
    if (!found && active_ &&
        (active_->id == name || ascii_lowercase(active_->name) == ascii_lowercase(name)))
        found = &*active_;
    if (!found) {
        if (!known_.fresh_devices) return stop(Refresh::Devices);
        return stop(CommandError{
            reason::kUnknownDevice,
            "There is no device named " + quoted(name) + ". Devices Spotify lists now: " +
                describe_devices(known_.devices.value_or(std::vector<Device>{})) + "."});
    }
    if (found->is_restricted) return stop(not_controllable(*found));
    if (!found->id) {
        return stop(CommandError{
            reason::kDeviceNotControllable,
            quoted(found->name) + " has no device id, so the Web API cannot address it."});
    }
    out = *found;
    return true;
}

void Planning::transfer(const Device& device) {
    plan_.target = device;
    if (active_ && active_->id == device.id) return;  // already there: nothing to do
    add(endpoint::transfer_playback(*device.id, playing_, device.name));
    // Waking a device from idle is up to Spotify: confirm by polling.
    if (!active_) plan_.predictable = false;
    active_ = device;
    active_->is_active = true;
}

bool Planning::idle_target(std::optional<Device>& out) {
    if (active_) {
        out = active_;
        return true;
    }
    // "Nothing is active" may be an old poll's view: only a fresh look makes it final.
    if (!known_.fresh_state) return stop(Refresh::State);
    if (!known_.fresh_devices) return stop(Refresh::Devices);
    const std::vector<Device>& devices = *known_.devices;
    auto usable = [](const Device& d) { return !d.is_restricted && d.id.has_value(); };
    if (known_.last_device_id) {
        for (const Device& d : devices) {
            if (d.id == known_.last_device_id && usable(d)) {
                out = d;
                return true;
            }
        }
    }
    std::vector<const Device*> candidates;
    for (const Device& d : devices)
        if (usable(d)) candidates.push_back(&d);
    if (candidates.size() == 1) {
        out = *candidates.front();
        return true;
    }
    std::string detail =
        devices.empty()
            ? "No Spotify device is online: open Spotify on a phone, computer or speaker."
            : "Name one with \"device\". Devices Spotify lists now: " + describe_devices(devices) +
                  ".";
    return stop(CommandError{reason::kNoActiveDevice,
                             "Nothing is playing and the bridge cannot tell which device to "
                             "play on. " +
                                 detail});
}

bool Planning::playback_device(std::optional<Device>& device) {
    if (device) return true;
    if (active_ && active_->is_restricted) return stop(not_controllable(*active_));
    return idle_target(device);
}

void Planning::start(const Device& device, nlohmann::json body, std::string action) {
    std::optional<std::string> device_id;
    if (!active_ || active_->id != device.id) device_id = device.id;
    add(endpoint::start_playback(device_id, std::move(body), std::move(action)));
    plan_.predictable = false;
    plan_.target = device;
    active_ = device;
    playing_ = true;
}

bool Planning::find_playlist(const std::string& name, std::string& uri) {
    const Playlist* found = nullptr;
    if (!find_playlist_entry(name, found)) return false;
    uri = found->uri;
    return true;
}

bool Planning::find_playlist_entry(const std::string& name, const Playlist*& out) {
    static const std::vector<Playlist> kNone;  // `out` points into the list: no temporary copy
    const auto& playlists = known_.playlists ? *known_.playlists : kNone;
    // An exact match first, so "Mix" and "MIX" stay distinguishable.
    const Playlist* match = nullptr;
    for (const Playlist& p : playlists)
        if (!match && p.name == name) match = &p;
    for (const Playlist& p : playlists)
        if (!match && ascii_lowercase(p.name) == ascii_lowercase(name)) match = &p;
    if (match) {
        out = match;
        return true;
    }
    if (!known_.fresh_playlists) return stop(Refresh::Playlists);
    std::string names;
    for (size_t i = 0; i < playlists.size() && i < 10; ++i)
        names += (i ? ", " : "") + quoted(playlists[i].name);
    if (playlists.size() > 10) names += ", …";
    return stop(CommandError{
        reason::kUnknownPlaylist,
        "There is no playlist named " + quoted(name) + ". " +
            (playlists.empty() ? "This account has no playlists." : "Playlists: " + names + ".")});
}

bool Planning::control(endpoint::Request request) {
    if (!active_) {
        if (!known_.fresh_state) return stop(Refresh::State);
        return stop(CommandError{
            reason::kNoActiveDevice,
            "Cannot " + request.action +
                ": nothing is playing. Start playback first (\"command\":\"play\"), or pick a "
                "device with \"device\"" +
                (known_.devices
                     ? "; devices Spotify lists now: " + describe_devices(*known_.devices)
                     : std::string()) +
                "."});
    }
    if (active_->is_restricted) return stop(not_controllable(*active_));
    add(std::move(request));
    return true;
}

PlanOutcome plan_commands(const CommandSet& commands, const AccountKnowledge& known) {
    Planning planning(known);
    for (const CommandKey& key : command_key_table()) {
        if (!key.asked || !key.plan || !key.asked(commands)) continue;
        if (!key.plan(commands, planning)) break;
    }
    return planning.outcome();
}

bool needs_premium(const CommandSet& commands) {
    for (const CommandKey& key : command_key_table()) {
        if (key.needs_premium && key.asked && key.asked(commands)) return true;
    }
    return false;
}

const Device* find_device(const std::vector<Device>& devices, const std::string& name_or_id) {
    for (const Device& d : devices)
        if (d.id && *d.id == name_or_id) return &d;
    const Device* first = nullptr;
    std::string wanted = ascii_lowercase(name_or_id);
    for (const Device& d : devices) {
        if (ascii_lowercase(d.name) != wanted) continue;
        if (d.is_active) return &d;
        if (!first) first = &d;
    }
    return first;
}

std::string describe_devices(const std::vector<Device>& devices) {
    if (devices.empty()) return "none";
    std::string text;
    for (const Device& d : devices) {
        if (!text.empty()) text += ", ";
        text += d.name + " (" + (d.type.empty() ? "device" : d.type);
        if (d.is_active) text += ", active";
        if (d.is_restricted) text += ", restricted";
        text += ")";
    }
    return text;
}

}  // namespace s2m
