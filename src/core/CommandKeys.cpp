// The command key table (core/CommandKeys.h): one row per key, in execution order, and beside
// each key what its value accepts (docs/mqtt-commands.md#keys), how it is planned and what it
// predicts. play and playlist, with their nested object, are in CommandPlay.cpp.
#include "core/CommandKeys.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "core/CommandBoost.h"
#include "core/CommandPlanning.h"
#include "core/CommandPlaylistEdit.h"
#include "core/CommandSnapshot.h"
#include "core/CommandValues.h"
#include "core/CommandVolume.h"
#include "core/Encoding.h"
#include "core/StateDiff.h"
#include "spotify/Endpoints.h"

namespace s2m {

using namespace command_values;  // the shared value parsers (CommandValues.h)

namespace {

// Whether a message asks for the key whose value is `Member` of CommandSet.
template <auto Member>
bool asks(const CommandSet& commands) {
    return (commands.*Member).has_value();
}

// --- device: a device name or id, 1–256 bytes, kept as typed (trimmed) ---

Status parse_device(const std::string& name, const Json& value, CommandSet& out) {
    return assign(out.device, device_of(name, value));
}

// With play or playlist, playback starts there (one play call instead of transfer + play).
bool plan_device(const CommandSet& c, Planning& p) {
    std::optional<Device> named;
    if (!p.resolve_device(*c.device, named)) return false;
    if (c.play || c.playlist) {
        p.start_on(*named);
    } else {
        p.transfer(*named);
    }
    return true;
}

void predict_device(const CommandSet& c, const CommandPlan& plan, PlaybackState& after, int64_t) {
    if (!plan.target || c.play || c.playlist) return;
    after.device = plan.target;
    after.device->is_active = true;
    after.volume = plan.target->volume;
}

// --- shuffle and like: booleans (CommandValues.h: boolean_of) ---

Status parse_shuffle(const std::string& name, const Json& value, CommandSet& out) {
    return assign(out.shuffle, boolean_of(name, value));
}

bool plan_shuffle(const CommandSet& c, Planning& p) {
    return p.control(endpoint::toggle_shuffle(*c.shuffle));
}

void predict_shuffle(const CommandSet& c, const CommandPlan&, PlaybackState& after, int64_t) {
    after.shuffle = *c.shuffle;
}

// --- repeat: off | track | context (any case); Home Assistant's one → track, all → context ---

Status parse_repeat(const std::string& name, const Json& value, CommandSet& out) {
    if (value.is_string()) {
        std::string mode = ascii_lowercase(trim(value.get_ref<const std::string&>()));
        if (mode == "one") mode = "track";
        if (mode == "all") mode = "context";
        if (mode == "off" || mode == "track" || mode == "context") {
            out.repeat = mode;
            return ok_status();
        }
    }
    return invalid(name +
                   " must be off, track or context (Home Assistant's one and all work too), got " +
                   describe(value));
}

bool plan_repeat(const CommandSet& c, Planning& p) {
    return p.control(endpoint::set_repeat_mode(*c.repeat));
}

void predict_repeat(const CommandSet& c, const CommandPlan&, PlaybackState& after, int64_t) {
    after.repeat = *c.repeat;
}

// --- position_ms: a whole number 0–86400000 (24 h; nothing plays longer), rounded ---

Status parse_position(const std::string& name, const Json& value, CommandSet& out) {
    return assign(out.position_ms, position_of(name, value));
}

bool plan_position(const CommandSet& c, Planning& p) {
    return p.control(endpoint::seek_to_position(*c.position_ms));
}

void predict_position(const CommandSet& c, const CommandPlan&, PlaybackState& after,
                      int64_t now_ms) {
    int64_t position = *c.position_ms;
    if (after.track && after.track->duration_ms)
        position = std::min(position, *after.track->duration_ms);
    after.position_ms = position;
    after.position_updated_at_ms = now_ms;
}

// --- queue: a track, episode or chapter link (a chapter as its episode URI) ---

Status parse_queue(const std::string& name, const Json& value, CommandSet& out) {
    return assign(out.queue, item_of(name, value));
}

bool plan_queue(const CommandSet& c, Planning& p) {
    return p.control(endpoint::add_to_queue(*c.queue));
}

// --- like: boolean, as shuffle; saves or removes the current item (no Premium needed) ---

Status parse_like(const std::string& name, const Json& value, CommandSet& out) {
    return assign(out.like, boolean_of(name, value));
}

bool plan_like(const CommandSet& c, Planning& p) {
    const AccountKnowledge& k = p.known();
    const Track* track = k.state && k.state->state != PlayerState::Idle && k.state->track
                             ? &*k.state->track
                             : nullptr;
    if (!track || track->uri.empty()) {
        if (!k.fresh_state) return p.stop(Refresh::State);
        return p.stop(CommandError{reason::kNothingPlaying,
                                   "Nothing is playing, so there is no current track to " +
                                       std::string(*c.like ? "like." : "unlike.")});
    }
    p.add(*c.like ? endpoint::save_library_items(track->uri, track->name)
                  : endpoint::remove_library_items(track->uri, track->name));
    return true;
}

// --- command: play | pause | toggle | next | previous (any case); playpause / play_pause →
// toggle, prev → previous, stop → pause, skip → next ---

Status parse_command_word(const std::string& name, const Json& value, CommandSet& out) {
    if (value.is_string()) {
        std::string word = ascii_lowercase(trim(value.get_ref<const std::string&>()));
        if (word == "play") out.command = Transport::Play;
        if (word == "pause" || word == "stop") out.command = Transport::Pause;
        if (word == "toggle" || word == "playpause" || word == "play_pause") {
            out.command = Transport::Toggle;
        }
        if (word == "next" || word == "skip") out.command = Transport::Next;
        if (word == "previous" || word == "prev") out.command = Transport::Previous;
        if (out.command) return ok_status();
    }
    return invalid(name + " must be play, pause, toggle, next or previous, got " + describe(value));
}

bool plan_resume(const CommandSet& c, Planning& p) {
    if (c.play || c.playlist) return true;  // the play call already resumed playback
    std::optional<Device> device = p.active();
    if (!device || device->is_restricted) {
        if (device) return p.stop(not_controllable(*device));
        if (!p.idle_target(device)) return false;
    }
    std::optional<std::string> device_id;
    if (!p.active()) {
        device_id = device->id;
        p.plan().predictable = false;
        p.plan().target = device;
    }
    p.add(endpoint::resume_playback(device_id));
    p.plan().transport = Transport::Play;
    return true;
}

bool plan_transport(const CommandSet& c, Planning& p) {
    Transport command = *c.command;
    if (command == Transport::Toggle) command = p.playing() ? Transport::Pause : Transport::Play;
    switch (command) {
        case Transport::Play:
            return plan_resume(c, p);
        case Transport::Pause:
            if (!p.active()) {
                // Idle already means not playing; only trust that from a fresh look.
                return p.known().fresh_state || p.stop(Refresh::State);
            }
            p.plan().transport = Transport::Pause;
            return p.control(endpoint::pause_playback());
        case Transport::Next:
            p.plan().predictable = false;
            return p.control(endpoint::skip_to_next());
        case Transport::Previous:
            p.plan().predictable = false;
            return p.control(endpoint::skip_to_previous());
        case Transport::Toggle:
            break;
    }
    return true;
}

// Freeze or restart the clock at the position the bridge predicts for now.
void predict_transport(const CommandSet&, const CommandPlan& plan, PlaybackState& after,
                       int64_t now_ms) {
    if (!plan.transport) return;
    after.position_ms = predicted_position_ms(after, now_ms);
    after.position_updated_at_ms = now_ms;
    after.state = *plan.transport == Transport::Pause ? PlayerState::Paused : PlayerState::Playing;
}

}  // namespace

const std::vector<CommandKey>& command_key_table() {
    static const std::vector<CommandKey> table = {
        // name, takes text, needs Premium, parse, asked, plan, predict (CommandKeys.h)
        {"snapshot", false, false, parse_snapshot, asks<&CommandSet::snapshot>, plan_snapshot,
         nullptr},
        {"restore", false, true, parse_restore, asks<&CommandSet::restore>, plan_restore, nullptr},
        {"device", true, true, parse_device, asks<&CommandSet::device>, plan_device,
         predict_device},
        {"play", false, true, parse_play, asks<&CommandSet::play>, plan_play, nullptr},
        {"playlist", true, true, parse_playlist, asks<&CommandSet::playlist>, plan_playlist,
         nullptr},
        {"search", true, true, parse_search, nullptr, nullptr, nullptr},  // fills play
        {"shuffle", false, true, parse_shuffle, asks<&CommandSet::shuffle>, plan_shuffle,
         predict_shuffle},
        {"repeat", true, true, parse_repeat, asks<&CommandSet::repeat>, plan_repeat,
         predict_repeat},
        {"volume", false, true, parse_volume, asks_volume, plan_volume, predict_volume},
        {"volume_level", false, true, parse_volume_level, nullptr, nullptr, nullptr},
        {"mute", false, true, parse_mute, asks<&CommandSet::mute>, plan_mute, predict_volume},
        {"position_ms", false, true, parse_position, asks<&CommandSet::position_ms>, plan_position,
         predict_position},
        {"queue", true, true, parse_queue, asks<&CommandSet::queue>, plan_queue, nullptr},
        {"like", false, false, parse_like, asks<&CommandSet::like>, plan_like, nullptr},
        // Playlist changes (CommandPlaylistEdit.h: scopes kPlaylistEditScopes); no Premium needed.
        {"create_playlist", true, false, parse_create_playlist, asks<&CommandSet::create_playlist>,
         plan_create_playlist, nullptr},
        {"add_to_playlist", true, false, parse_add_to_playlist, asks<&CommandSet::add_to_playlist>,
         plan_add_to_playlist, nullptr},
        {"remove_from_playlist", true, false, parse_remove_from_playlist,
         asks<&CommandSet::remove_from_playlist>, plan_remove_from_playlist, nullptr},
        {"command", true, true, parse_command_word, asks<&CommandSet::command>, plan_transport,
         predict_transport},
        // Reads, not control (CommandBoost.h): no Premium needed, and no Spotify call.
        {"boost", false, false, parse_boost, asks<&CommandSet::boost_s>, plan_boost, nullptr},
    };
    return table;
}

const CommandKey* find_command_key(std::string_view name) {
    for (const CommandKey& key : command_key_table()) {
        if (key.name == name) return &key;
    }
    return nullptr;
}

}  // namespace s2m
