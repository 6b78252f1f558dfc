// Announcement for the "mqtt_media_player" custom component (bkbilly/mqtt_media_player, HACS),
// opt-in with homeassistant.media_player
// (docs/home-assistant.md#a-real-media-player-optional-mqtt_media_player). Pure: the same input
// gives the same bytes.
//
// What that component understands (custom_components/mqtt_media_player/__init__.py and
// media_player.py, handle_config and the handle_* / async_* methods):
//  - It finds players itself by subscribing to the fixed filter "homeassistant/media_player/#"
//    and keeps topics ending in /config; the segment before /config is the player's id and its
//    unique_id. It does not read HA's configurable discovery prefix: with a prefix other than
//    "homeassistant" the announcement is never seen.
//  - It names the entity after "name" and reads neither "unique_id" nor "default_entity_id";
//    the announcement carries both anyway, as every HA MQTT entity of the bridge does (the same
//    unique id the component derives, and media_player.spotify_<account>), so the player keeps
//    its id with any version that reads them.
//  - It takes no templates. Every attribute has its own topic holding a plain value:
//    state (playing|paused|idle|off, lower-cased), title, artist, album, duration and position
//    (int(payload), whole seconds), volume (float(payload), HA's 0.0–1.0), mediatype (music…),
//    albumart (the image itself, Base64, served as image/jpeg; not a URL). An empty payload
//    clears a value.
//  - Commands: each of play/pause/playpause/next/previous publishes its configured payload on its
//    topic; volume publishes round(level, 2) as text ("0.55", "1.0"); mute publishes "mute" or
//    "unmute" on command_mute_topic; play_media publishes {"media_type":…,"media_id":…} as JSON.
//    No seek, no shuffle/repeat, no source. Volume up/down (VOLUME_STEP) come with the volume
//    topic: Home Assistant sends them as a new level, so they need no topic of their own.
//  - state_mute_topic: "mute" or "unmute" (any other payload is ignored).
//  - Availability: one topic whose raw payload is compared with payload_available /
//    payload_not_available (defaults online/offline); any other payload is ignored.
//
// So the bridge publishes the plain values below <base>/<account>/media/ (media_player_states and
// media_player_albumart_payload say what), and the component commands the bridge's /set/<key>
// topics directly. Availability follows <base>/bridge/state, whose payloads are fixed strings and
// which the MQTT will turns offline; an account that is offline shows state "off" instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace s2m {

struct MediaPlayerInput {
    std::string prefix;      // homeassistant.discovery_prefix (must be "homeassistant", above)
    std::string base_topic;  // mqtt.base_topic
    std::string account;
    std::optional<std::string> display_name;  // Spotify's; the player's and device's name
    std::string version;
    std::optional<bool> premium;  // false: no command topics (Spotify Free cannot be controlled)
};

// Below <base>/<account>/set/: what the component's commands are sent to.
inline constexpr const char* kMediaPlayerCommandKey = "command";  // play|pause|toggle|next|previous
// The component sends the volume as 0.0–1.0 ("0.55"); set/volume takes 0–100, so this key must
// take a 0.0–1.0 level and scale it (round(level × 100)).
inline constexpr const char* kMediaPlayerVolumeKey = "volume_level";
// The component sends {"media_type":"…","media_id":"<uri or link>"}: media_id is what to play.
inline constexpr const char* kMediaPlayerPlayMediaKey = "play";
// The component sends "mute" / "unmute", which set/mute takes as they are.
inline constexpr const char* kMediaPlayerMuteKey = "mute";

// <prefix>/media_player/spotify2mqtt_<account>/config
std::string media_player_discovery_topic(const std::string& prefix, const std::string& account);

// The retained config payload (use the account's discovery-removal path to clear it: publish an
// empty retained payload on the same topic).
nlohmann::json media_player_discovery_payload(const MediaPlayerInput& input);

// <base>/<account>/media — the values the component reads live under it, one per suffix.
std::string media_player_state_base(const std::string& base_topic, const std::string& account);

// Every suffix the announcement reads, for clearing them when an account is removed.
const std::vector<std::string>& media_player_suffixes();

// The plain payloads for the account state (docs/mqtt.md#account-state), keyed by suffix (all but
// "albumart"):
//   state      playing | paused | idle; "off" when the account is offline (account_online false)
//   title      track.name, "" without a track
//   artist     track.artists joined with ", "
//   album      track.album
//   duration   track.duration_ms / 1000, whole seconds; "" when unknown
//   position   position_ms / 1000, whole seconds; "" when unknown (the component stamps the time
//              of arrival and advances it itself while playing)
//   volume     volume / 100 as text ("0.55", "1", "0"); "0" when unknown
//   mute       "mute" at volume 0 (Spotify has no mute of its own: a muted player is at 0),
//              else "unmute"
//   mediatype  "podcast" for an episode or an audiobook chapter, else "music"
// Publish each retained on <base>/<account>/media/<suffix> whenever the account state or its
// availability is published.
nlohmann::json media_player_states(const nlohmann::json& account_state, bool account_online = true);

// (topic, payload) pairs for media_player_states' result.
std::vector<std::pair<std::string, std::string>> media_player_topics(const std::string& base_topic,
                                                                     const std::string& account,
                                                                     const nlohmann::json& states);

// "albumart": the component wants the image bytes, Base64-encoded. The bridge downloads
// track.album_art (this returns that URL, nullopt without one) when it changes and publishes
// media_player_albumart_payload(bytes) retained; "" (no bytes) clears the picture.
std::optional<std::string> media_player_albumart_url(const nlohmann::json& account_state);
std::string media_player_albumart_payload(std::string_view image_bytes);

}  // namespace s2m
