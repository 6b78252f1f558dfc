// What the bridge remembers of an account's player (docs/mqtt-commands.md#snapshot-and-restore):
// a snapshot taken with the `snapshot` key and put back with `restore`, and the volume a `mute`
// set aside. Plain values and their JSON form (the files of ports/PlayerMemoryStore.h); pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/PlaybackState.h"
#include "core/Result.h"

namespace s2m {

// Snapshot names: 1–64 of a-z, 0-9, - and _ (they are file names); `true` stands for this one.
inline constexpr const char* kDefaultSnapshot = "default";
inline constexpr size_t kMaxSnapshotNameBytes = 64;
bool is_snapshot_name(std::string_view name);

struct PlayerSnapshot {
    PlayerState state = PlayerState::Idle;  // Idle: nothing was playing (restore only pauses)
    std::optional<std::string> device_id;
    std::string device_name;
    std::optional<std::string> context_uri;  // album, playlist, artist, show or Liked Songs
    std::optional<std::string> item_uri;     // the track or episode (the offset in the context)
    int64_t position_ms = 0;
    std::optional<int> volume;
    std::optional<bool> shuffle;
    std::optional<std::string> repeat;  // off | track | context
    int64_t taken_at_ms = 0;            // Unix ms, for people reading the file

    bool operator==(const PlayerSnapshot&) const = default;
};

// The snapshot of a (fresh) playback state; position as Spotify reported it.
PlayerSnapshot snapshot_of(const PlaybackState& state);

nlohmann::json to_json(const PlayerSnapshot& snapshot);
// An Error (kind BadResponse) naming what is wrong when `json` is not a snapshot this version
// wrote: the caller treats the file as absent.
Result<PlayerSnapshot> snapshot_from_json(const nlohmann::json& json);

// What a command asks the bridge to remember once all its calls succeeded (CommandPlan::memory).
struct PlayerMemoryChange {
    std::optional<PlayerSnapshot> snapshot;  // keep under the command's `snapshot` name
    std::optional<int> muted_volume;         // a mute: the volume an unmute puts back
    bool unmuted = false;                    // an unmute: forget the remembered volume

    bool operator==(const PlayerMemoryChange&) const = default;
};

}  // namespace s2m
