// Home Assistant MQTT discovery (docs/home-assistant.md#discovery): one device per account,
// announced with device-based discovery (HA 2024.11+) on
// <prefix>/device/spotify2mqtt_<account>/config. The entities are a table (Discovery.cpp,
// kEntities); this turns the table and what the bridge knows about the account into the retained
// JSON. Pure: the same input always gives the same bytes, so the bridge republishes only when
// something a user would see changed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/PlaybackState.h"

namespace s2m {

inline constexpr const char* kProjectUrl = "https://github.com/spotify2mqtt/spotify2mqtt";

struct DiscoveryInput {
    std::string prefix;      // homeassistant.discovery_prefix
    std::string base_topic;  // mqtt.base_topic
    std::string account;
    std::optional<std::string> display_name;       // Spotify's, for the device name
    std::optional<bool> premium;                   // false: read-only entities
    std::vector<Device> devices;                   // the source select's options
    std::vector<Playlist> playlists;               // the playlist select's options
    std::optional<std::string> user_id;            // whose playlists may be changed (Add to…)
    std::optional<std::string> configuration_url;  // the account page, when reachable
    bool up_next = true;                           // features.queue: the "Up next" sensor
    bool last_played = true;                       // features.recent: "Last played" (else removed)
    std::string version;
};

std::string discovery_topic(const std::string& prefix, const std::string& account);

nlohmann::json discovery_payload(const DiscoveryInput& input);

// Option labels for names that may repeat: "Kitchen", "Kitchen (2)", … in the given order.
std::vector<std::string> unique_labels(const std::vector<std::string>& names);

// The entity-id form of a name, as Home Assistant makes it: "Save to Liked Songs" ->
// "save_to_liked_songs", "kitchen-2" -> "kitchen_2".
std::string entity_slug(std::string_view text);

// <base>/<account>/diagnostics (retained): what the diagnostic entities show.
struct Diagnostics {
    std::string status;  // online | reauth_required | rate_limited | api_unreachable | …
    std::optional<std::string> last_error;
    std::optional<int64_t> rate_limited_until_ms;
    std::optional<int64_t> refresh_token_expires_at_ms;
    // Scopes the bridge asks for that the account's link lacks (docs/linking.md#scopes).
    std::vector<std::string> missing_scopes;

    bool operator==(const Diagnostics&) const = default;
};
nlohmann::json diagnostics_payload(const Diagnostics& diagnostics, int64_t now_ms);

}  // namespace s2m
