// Internal to the command key table (CommandKeys.cpp): the keys that change playlists, their
// values and plans (CommandPlaylistEdit.cpp, docs/mqtt-commands.md#playlist-changes).
//
//   add_to_playlist       a playlist name (from the playlists topic), URI or link, or
//                         {"playlist":…, "uri":…}: add the item (default: the current one)
//   remove_from_playlist  the same: remove every occurrence of the item
//   create_playlist       a name, or {"name", "public" (false), "description"}
//
// Only playlists the user owns or that are collaborative can be changed: anything else is
// NOT_ALLOWED before any call. Spotify scopes these keys need (the linking code requests them):
// kPlaylistEditScopes.
#pragma once

#include <string>

#include "core/Command.h"
#include "core/CommandPlan.h"
#include "core/JsonFields.h"
#include "core/PlaybackState.h"
#include "core/Result.h"

namespace s2m {
class Planning;  // core/CommandPlanning.h

// The scopes add_to_playlist, remove_from_playlist and create_playlist need.
inline constexpr const char* kPlaylistEditScopes = "playlist-modify-public playlist-modify-private";

// Whether `user_id` may change `playlist`: its owner, or anyone when it is collaborative.
bool may_change_playlist(const Playlist& playlist, const std::string& user_id);

}  // namespace s2m

namespace s2m::command_values {

Status parse_add_to_playlist(const std::string& name, const Json& value, CommandSet& out);
Status parse_remove_from_playlist(const std::string& name, const Json& value, CommandSet& out);
Status parse_create_playlist(const std::string& name, const Json& value, CommandSet& out);
// The playlist (a fresh list before UNKNOWN_PLAYLIST), the owner check (NOT_ALLOWED), the item
// (the current one from a fresh look when unknown; NOTHING_PLAYING), then the one call. An add
// also asks the job to read the playlist's items first (CommandPlan::duplicate_check).
bool plan_add_to_playlist(const CommandSet& commands, Planning& planning);
bool plan_remove_from_playlist(const CommandSet& commands, Planning& planning);
bool plan_create_playlist(const CommandSet& commands, Planning& planning);

}  // namespace s2m::command_values
