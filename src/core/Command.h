// Commands (docs/mqtt-commands.md): what an MQTT `/set` or `/set/<key>` message asks for, parsed
// into plain values, or a precise error a person can act on. Pure and fuzzed
// (fuzz/command_parser_fuzz.cpp): any byte string in, a CommandParse out, never an exception.
//
// Combined keys run in one fixed order, whatever order the JSON object lists them in: the order
// of the rows of core/CommandKeys.cpp (snapshot → restore → device → play / playlist → shuffle →
// repeat → volume → mute → position_ms → queue → like → create_playlist → add_to_playlist →
// remove_from_playlist → command → boost), so
// {"device":"Kitchen","volume":30,"command":"play"} moves playback, sets the volume on the new
// device, then resumes.
//
// A new key: its member in CommandSet below, and its row with its functions in CommandKeys.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/Result.h"
#include "core/Search.h"

namespace s2m {

// Reasons of a command response ("reason" on <base>/<account>/response).
namespace reason {
inline constexpr const char* kInvalidPayload = "INVALID_PAYLOAD";
inline constexpr const char* kUnknownKey = "UNKNOWN_KEY";
inline constexpr const char* kUnknownDevice = "UNKNOWN_DEVICE";
inline constexpr const char* kUnknownPlaylist = "UNKNOWN_PLAYLIST";
inline constexpr const char* kNotFound = "NOT_FOUND";  // a search found nothing, no such snapshot
inline constexpr const char* kNotAllowed = "NOT_ALLOWED";  // e.g. changing someone else's playlist
inline constexpr const char* kUnknownAccount = "UNKNOWN_ACCOUNT";
inline constexpr const char* kNoActiveDevice = "NO_ACTIVE_DEVICE";
inline constexpr const char* kNothingPlaying = "NOTHING_PLAYING";
inline constexpr const char* kPremiumRequired = "PREMIUM_REQUIRED";
inline constexpr const char* kDeviceNotControllable = "DEVICE_NOT_CONTROLLABLE";
inline constexpr const char* kVolumeControlDisallow = "VOLUME_CONTROL_DISALLOW";
inline constexpr const char* kRateLimited = "RATE_LIMITED";
inline constexpr const char* kReauthRequired = "REAUTH_REQUIRED";
inline constexpr const char* kNotLinked = "NOT_LINKED";
inline constexpr const char* kStaleCommand = "STALE_COMMAND";
inline constexpr const char* kSpotifyError = "SPOTIFY_ERROR";
inline constexpr const char* kApiUnreachable = "API_UNREACHABLE";
// Linked before a feature needed a new scope (core/Scopes.h): link again.
inline constexpr const char* kMissingScope = "MISSING_SCOPE";
}  // namespace reason

// Limits on what one message may carry (bigger or deeper is INVALID_PAYLOAD).
inline constexpr size_t kMaxCommandPayloadBytes = 64 * 1024;
inline constexpr int kMaxCommandJsonDepth = 16;
inline constexpr size_t kMaxPlayUris = 100;

enum class Transport { Play, Pause, Toggle, Next, Previous };
const char* to_string(Transport transport);

// Where in the context or list playback starts: an index (→ {"position":n}) or an item URI
// (→ {"uri":…}). Exactly one is set.
struct PlayOffset {
    std::optional<int64_t> position;
    std::optional<std::string> uri;

    bool operator==(const PlayOffset&) const = default;
};

// `play`: what to start. At most one of liked / your_episodes / context_uri / uris / search is set;
// none of them means "resume" (only reachable through the object form, e.g. {"device":"Kitchen"}).
struct PlayTarget {
    bool liked = false;                      // the user's Liked Songs (needs the user id)
    bool your_episodes = false;              // the user's saved episodes (needs the user id)
    std::optional<std::string> context_uri;  // spotify:album|playlist|artist|show|audiobook:<id>,
                                             // or a spotify:user:<id>:collection[:your-episodes]
                                             // given verbatim
    std::vector<std::string> uris;           // spotify:track|episode:<id> (chapters as episodes)
    std::optional<NameSearch> search;        // play by name: play.search, or the search key
    std::optional<std::string> device;       // name or id, as typed
    std::optional<PlayOffset> offset;
    std::optional<int64_t> position_ms;

    bool operator==(const PlayTarget&) const = default;
};

// `playlist`: a name from the playlists topic, or a playlist URI/URL (normalised to spotify:).
struct PlaylistRef {
    std::optional<std::string> name;
    std::optional<std::string> uri;

    bool operator==(const PlaylistRef&) const = default;
};

// `add_to_playlist` / `remove_from_playlist`: which playlist, and the item (unset: the current
// one).
struct PlaylistEdit {
    PlaylistRef playlist;
    std::optional<std::string> item;  // spotify:track|episode:<id>

    bool operator==(const PlaylistEdit&) const = default;
};

// `create_playlist`: a new playlist of the user (private unless asked otherwise).
struct NewPlaylist {
    std::string name;
    bool is_public = false;
    std::optional<std::string> description;

    bool operator==(const NewPlaylist&) const = default;
};

// Everything one message asks for. Unset members were not asked for.
struct CommandSet {
    std::optional<std::string> snapshot;  // a snapshot name (core/PlayerSnapshot.h) to take
    std::optional<std::string> restore;   // a snapshot name to put back
    std::optional<std::string> device;    // transfer playback: a device name or id, as typed
    std::optional<PlayTarget> play;
    std::optional<PlaylistRef> playlist;
    std::optional<bool> shuffle;
    std::optional<std::string> repeat;  // off | track | context
    std::optional<int> volume;          // 0–100
    std::optional<int> volume_step;     // "+5" / "-10": relative to the current volume
    std::optional<bool> mute;           // true: set aside the volume and set 0; false: put it back
    std::optional<int64_t> position_ms;
    std::optional<std::string> queue;  // spotify:track|episode:<id>
    std::optional<bool> like;
    std::optional<NewPlaylist> create_playlist;
    std::optional<PlaylistEdit> add_to_playlist;
    std::optional<PlaylistEdit> remove_from_playlist;
    std::optional<Transport> command;
    // Seconds of fast idle and paused reads (core/CommandBoost.h); 0 ends a boost.
    std::optional<int64_t> boost_s;

    bool operator==(const CommandSet&) const = default;
};

// The answer to a command that is not carried out: an Error (core/Result.h) whose `reason` is the
// response's reason (one of reason::k…) and whose `message` is a sentence for a person that quotes
// at most a short, valid-UTF-8 excerpt. Kind Refused when the bridge says no by itself (a user
// mistake, or nothing to act on); an answer from Spotify keeps its own kind (command_error).
struct CommandError : Error {
    CommandError(std::string reason_code, std::string sentence,
                 ErrorKind error_kind = ErrorKind::Refused) {
        kind = error_kind;
        reason = std::move(reason_code);
        message = std::move(sentence);
    }
    CommandError(Error error) : Error(std::move(error)) {}  // any Error can answer a command

    bool operator==(const CommandError& other) const {
        return kind == other.kind && reason == other.reason && message == other.message;
    }
};

struct CommandParse {
    // The `transaction` to echo, when the message had one (any JSON value). Present even when
    // the rest of the message is wrong, as long as the payload was a JSON object.
    std::optional<nlohmann::json> transaction;
    Result<CommandSet> result = CommandSet{};

    bool ok() const { return result.ok(); }
    const CommandSet& commands() const { return result.value(); }
    const Error& error() const { return result.error(); }
};

// `key` is "" for <base>/<account>/set (payload: a JSON object) or the last topic level of
// <base>/<account>/set/<key> (payload: a plain value — JSON, or bare text such as ON or
// spotify:track:…). See the .cpp for exactly what each key accepts.
CommandParse parse_command(std::string_view key, std::string_view payload);

// The keys /set understands, in execution order (the rows of CommandKeys.cpp, then transaction),
// for messages and documentation.
const std::vector<std::string>& command_keys();

// A Spotify URI or open.spotify.com link, normalised.
struct SpotifyLink {
    // track | episode | chapter (items); album | playlist | artist | show | audiobook |
    // collection (Liked Songs) | your_episodes (the saved episodes)
    std::string type;
    std::string id;   // base62 id; for collection and your_episodes: the user id ("" for an
                      // open.spotify.com/collection/… link, which names no user)
    std::string uri;  // spotify:<type>:<id>, spotify:user:<id>:collection or
                      // spotify:user:<id>:collection:your-episodes ("" when the user is unknown)

    bool operator==(const SpotifyLink&) const = default;
};

// Accepts spotify:<type>:<id> (any case for the type), spotify:user:<user>:collection,
// spotify:user:<user>:collection:your-episodes, spotify:user:<user>:playlist:<id> (old style), and
// http(s)://open.spotify.com/… links with or without the scheme, with locale prefixes (/intl-de/),
// /embed/, and ?si=… or #… tails. nullopt when it is none of those; `why` (if given) then says what
// was wrong, e.g. that spotify.link short links must be opened first.
std::optional<SpotifyLink> parse_spotify_link(std::string_view text, std::string* why = nullptr);

// Whether `text` is valid UTF-8 (MQTT payloads are bytes; everything echoed must be UTF-8).
bool is_valid_utf8(std::string_view text);

}  // namespace s2m
