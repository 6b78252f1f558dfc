// Internal to the command parser (CommandParser.cpp): the value of each /set key → its member of
// CommandSet, or an INVALID_PAYLOAD error naming the key. Split out so the payload-level checks
// and the per-key rules can each be read on their own; not part of the public interface
// (Command.h). Defined in CommandValues.cpp, except play and playlist (CommandPlay.cpp).
//
// Every parser that takes `name` uses it in its message (e.g. "volume" or "play.position_ms");
// `out` is meaningful only when the parser returns no error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Command.h"
#include "core/JsonFields.h"

namespace s2m::command_values {

using MaybeError = std::optional<CommandError>;

// --- Text and message helpers (shared so every message quotes the user the same way) ---

std::string_view trim(std::string_view text);
// At most a short excerpt of `text`, cut on a code point boundary, "…" when cut; a placeholder
// when `text` is not UTF-8 (messages must be valid UTF-8).
std::string excerpt(std::string_view text);
std::string quote(std::string_view text);  // the excerpt in double quotes
// How a value the user sent reads in a message: strings quoted, scalars as written, containers
// by type.
std::string describe(const Json& value);
std::string join(const std::vector<std::string>& words, std::string_view separator);
CommandError invalid(std::string message);  // reason INVALID_PAYLOAD

// --- Pieces the play and playlist parsers share with the rest ---

// A decimal number written as text (" 40 ", "50.0", "1e2"); no inf, nan, hex or junk.
std::optional<double> number_from_text(std::string_view text);
// A JSON number or numeric string, rounded to the nearest whole number, within [low, high].
std::optional<int64_t> whole_number(const Json& value, int64_t low, int64_t high);
bool is_item(const SpotifyLink& link);  // a track or episode
// "an album", "a track", "a Liked Songs" (to be followed by "link").
std::string kind_of(const SpotifyLink& link);
// The trimmed text of a string value; an error naming `name` and `what` otherwise.
MaybeError text_of(const std::string& name, const char* what, const Json& value,
                   std::string_view& out);
// A trimmed, non-empty string of at most 256 bytes, kept as typed (device and playlist names).
MaybeError parse_name(const std::string& name, const char* what, const Json& value,
                      std::optional<std::string>& out);
// A track or episode link → its spotify: URI.
MaybeError parse_item(const std::string& name, const Json& value, std::string& out);

// --- One parser per key (see the table at the top of CommandParser.cpp) ---

MaybeError parse_device(const std::string& name, const Json& value,
                        std::optional<std::string>& out);
MaybeError parse_boolean(const std::string& name, const Json& value, std::optional<bool>& out);
MaybeError parse_repeat(const std::string& name, const Json& value,
                        std::optional<std::string>& out);
MaybeError parse_volume(const std::string& name, const Json& value, std::optional<int>& out);
// Home Assistant's 0.0–1.0 level (the mqtt_media_player component sends "0.55") → 0–100.
MaybeError parse_volume_level(const std::string& name, const Json& value, std::optional<int>& out);
MaybeError parse_position(const std::string& name, const Json& value, std::optional<int64_t>& out);
MaybeError parse_queue(const Json& value, std::optional<std::string>& out);
MaybeError parse_transport(const std::string& name, const Json& value,
                           std::optional<Transport>& out);
MaybeError parse_play(const Json& value, std::optional<PlayTarget>& out);       // CommandPlay.cpp
MaybeError parse_playlist(const Json& value, std::optional<PlaylistRef>& out);  // CommandPlay.cpp

}  // namespace s2m::command_values
