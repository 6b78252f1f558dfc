// Internal to the command keys (CommandParser.cpp, CommandKeys.cpp, CommandPlay.cpp): the pieces
// every key's value parser is made of, and the messages they write. A parser returns the value or
// an Error of kind Refused with reason INVALID_PAYLOAD naming the key; not part of the public
// interface (Command.h). Defined in CommandValues.cpp, except play and playlist (CommandPlay.cpp).
//
// Every function that takes `name` uses it in its message (e.g. "volume" or "play.position_ms").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Command.h"
#include "core/JsonFields.h"
#include "core/Result.h"

namespace s2m {
class Planning;  // core/CommandPlanning.h
}

namespace s2m::command_values {

// --- Message helpers (shared so every message quotes the user the same way) ---

// At most a short excerpt of `text`, cut on a code point boundary, "…" when cut; a placeholder
// when `text` is not UTF-8 (messages must be valid UTF-8).
std::string excerpt(std::string_view text);
std::string quote(std::string_view text);  // the excerpt in double quotes
// How a value the user sent reads in a message: strings quoted, scalars as written, containers
// by type.
std::string describe(const Json& value);
std::string join(const std::vector<std::string>& words, std::string_view separator);
Error invalid(std::string message);  // a CommandError with reason INVALID_PAYLOAD

// Stores what a value parser read into the key's member of CommandSet: each key's parse function
// is one such line.
template <typename T, typename U>
Status assign(std::optional<T>& member, Result<U> parsed) {
    if (!parsed) return parsed.error();
    member = std::move(parsed.value());
    return ok_status();
}

// --- Value parsers the keys share ---

// A decimal number written as text (" 40 ", "50.0", "1e2"); no inf, nan, hex or junk.
std::optional<double> number_from_text(std::string_view text);
// A JSON number or numeric string, rounded to the nearest whole number, within [low, high].
std::optional<int64_t> whole_number(const Json& value, int64_t low, int64_t high);
bool is_item(const SpotifyLink& link);  // a track, episode or chapter: played as `uris`
// The URI Spotify's player knows an item by: a chapter plays as spotify:episode:<id> (the Web API
// reference gives chapters type "episode" and episode URIs), everything else as itself.
std::string player_uri(const SpotifyLink& link);
// "an album", "a track", "a Liked Songs", "a Your Episodes" (to be followed by "link").
std::string kind_of(const SpotifyLink& link);
// The trimmed text of a string value.
Result<std::string_view> text_of(const std::string& name, const char* what, const Json& value);
// A trimmed, non-empty string of at most 256 bytes, kept as typed (device and playlist names).
Result<std::string> name_of(const std::string& name, const char* what, const Json& value);
// A device name or id (device, play.device).
Result<std::string> device_of(const std::string& name, const Json& value);
// A track, episode or chapter link → its player_uri (play.uris, play.offset, queue).
Result<std::string> item_of(const std::string& name, const Json& value);
// Milliseconds from 0 to 24 h (position_ms, play.position_ms).
Result<int64_t> position_of(const std::string& name, const Json& value);
// true/false, 1/0, or the strings true/false/on/off/1/0/yes/no in any case (shuffle, like, mute).
Result<bool> boolean_of(const std::string& name, const Json& value);

// --- play and playlist, the keys that start playback (CommandPlay.cpp) ---

Status parse_play(const std::string& name, const Json& value, CommandSet& out);
Status parse_playlist(const std::string& name, const Json& value, CommandSet& out);
// A playlist name, or a playlist URI or link (playlist, add_to_playlist…).
Result<PlaylistRef> playlist_ref_of(const std::string& name, const Json& value);
bool plan_play(const CommandSet& commands, Planning& planning);
bool plan_playlist(const CommandSet& commands, Planning& planning);

// --- play by name (CommandSearch.cpp) ---

// The search key: text with an optional type prefix → the play key's search.
Status parse_search(const std::string& name, const Json& value, CommandSet& out);
// play.search and play.type of the play object (the other members are checked by the caller).
Status search_from_object(const Json& object, PlayTarget& out);
// The body that plays what the search found (and plan().played), or stops planning: for the
// search's results first (Refresh::Search), or NOT_FOUND.
bool plan_found(const NameSearch& search, Planning& planning, nlohmann::json& body);

}  // namespace s2m::command_values
