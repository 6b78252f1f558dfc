// Turning a parsed command into Web API calls (docs/mqtt-commands.md), purely: what the bridge
// knows about the account goes in, the exact calls (named requests of spotify/Endpoints.h) come
// out, in the order of the command key table (core/CommandKeys.h) — or a CommandError, or a request
// for fresher knowledge first (the job that runs the plan fetches it and plans again).
//
// Device rules:
// - A device is named by id (exact) or name (case-insensitive); when several share a name the
//   active one wins, then the first listed. A name not in the list is only UNKNOWN_DEVICE after
//   the list has been refreshed.
// - Restricted devices (Sonos, some TVs) accept no Web API commands: DEVICE_NOT_CONTROLLABLE
//   before any call. A device known not to support volume: VOLUME_CONTROL_DISALLOW.
// - When nothing is active, starting playback targets the named device, else the last device this
//   account used (if it is still listed), else the only unrestricted device; otherwise
//   NO_ACTIVE_DEVICE naming the devices there are. Other controls need something active.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/Command.h"
#include "core/PlaybackState.h"
#include "core/PlayerSnapshot.h"
#include "core/Result.h"
#include "spotify/Endpoints.h"

namespace s2m {

// One call of a plan: method, path with query, JSON body and the action's words for messages.
using ApiCall = endpoint::Request;

// What the bridge knows about the account when the command runs.
struct AccountKnowledge {
    std::optional<PlaybackState> state;  // the last published state
    std::optional<std::vector<Device>> devices;
    std::optional<std::vector<Playlist>> playlists;
    std::optional<std::string> user_id;
    std::optional<std::string> last_device_id;  // the device this account last played on
    // Kept by the bridge (app/modules/PlayerMemoryModule.h): the snapshot `restore` names, and
    // the volume a mute set aside.
    std::optional<PlayerSnapshot> restoring;
    std::optional<int> muted_volume;
    std::optional<SearchResults> search_results;  // play by name: what this command's search found
    // Which of the above were fetched for this very command (so "not found" is final).
    bool fresh_state = false;
    bool fresh_devices = false;
    bool fresh_playlists = false;
};

// Fetch this, then plan again (Search: the query of name_search_query for the play key's search).
enum class Refresh { State, Devices, Playlists, Profile, Search };

struct CommandPlan {
    std::vector<ApiCall> calls;
    // The result is certain enough to publish at once (volume, shuffle, pause…); otherwise (next,
    // a new context, a transfer to an idle device) the bridge polls right after the calls.
    bool predictable = true;
    std::optional<Device> target;        // the device playback ends up on, when the plan knows it
    std::optional<Transport> transport;  // play or pause as sent (a toggle resolved); unset when
                                         // no such call is made
    std::optional<int> volume;           // the volume sent (a step or a mute resolved)
    PlayerMemoryChange memory;           // what the bridge keeps once every call succeeded
    std::optional<SearchEntry> played;   // play by name: what the search chose (data.played)
    // add_to_playlist: the job reads the playlist's item URIs before the add, so the response can
    // say the item was already there (Spotify adds duplicates without a word).
    struct DuplicateCheck {
        std::string playlist_id;
        std::string item_uri;
    };
    std::optional<DuplicateCheck> duplicate_check;
    std::optional<size_t> creating_call;  // create_playlist: the call answered by the new playlist
    std::optional<int64_t> boost_s;       // boost: applied by the bridge once the message succeeded
    nlohmann::json data = nlohmann::json::object();  // what the response's `data` says
};

using PlanOutcome = std::variant<CommandPlan, CommandError, Refresh>;

PlanOutcome plan_commands(const CommandSet& commands, const AccountKnowledge& known);

// Whether a command set needs Premium (the keys whose row says so: everything but `like`, which
// uses the library API).
bool needs_premium(const CommandSet& commands);

// Finds a device by id or case-insensitive name (active one first among equal names).
const Device* find_device(const std::vector<Device>& devices, const std::string& name_or_id);

// "Kitchen (Speaker), Phone (Smartphone, restricted)" — or "none" — for messages.
std::string describe_devices(const std::vector<Device>& devices);

// The state after the calls of `plan` succeeded, as far as it is certain: volume, shuffle,
// repeat, seek, pause/resume, the device of a transfer. `now_ms` stamps positions.
PlaybackState predicted_state(const PlaybackState& before, const CommandSet& commands,
                              const CommandPlan& plan, int64_t now_ms);

// The response for a failed call: Spotify's own reason when it gave one (NO_ACTIVE_DEVICE,
// PREMIUM_REQUIRED…), else a bridge reason, with a sentence naming what was being done.
// `done` lists actions that had already succeeded (so the person knows what did happen).
CommandError command_error(const Error& error, const std::string& action,
                           const std::vector<std::string>& done);

}  // namespace s2m
