// The bridge's model of one account: what plays where, its devices and playlists.
// Plain values with no behaviour; SpotifyJson.h fills them, StatePayload.h turns them into MQTT.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace s2m {

enum class PlayerState { Playing, Paused, Idle };
const char* to_string(PlayerState state);

struct Track {
    std::string uri;
    std::string name;
    std::vector<std::string> artists;  // an episode: the show's publisher; a chapter: the authors
    std::string album;                 // an episode: the show's name; a chapter: the audiobook's
    std::optional<std::string> album_art;
    std::optional<int64_t> duration_ms;
    std::string type = "track";  // track | episode | chapter

    bool operator==(const Track&) const = default;
};

struct Device {
    std::optional<std::string> id;  // Spotify may hide it (null) for some devices
    std::string name;
    std::string type;  // Spotify's: Computer, Smartphone, Speaker…
    bool is_active = false;
    bool is_restricted = false;  // accepts no Web API commands (Sonos, some TVs)
    bool supports_volume = false;
    std::optional<int> volume;

    bool operator==(const Device&) const = default;
};

struct PlaybackContext {
    std::string uri;
    std::string type;  // playlist | album | artist | show | audiobook | collection
    std::optional<std::string> name;

    bool operator==(const PlaybackContext&) const = default;
};

struct PlaybackState {
    PlayerState state = PlayerState::Idle;
    std::optional<Track> track;
    std::optional<int64_t> position_ms;
    int64_t position_updated_at_ms = 0;  // Unix ms at which position_ms was true
    std::optional<int> volume;
    std::optional<bool> shuffle;
    std::optional<std::string> repeat;  // off | track | context
    std::optional<Device> device;
    std::optional<PlaybackContext> context;
    std::optional<bool> premium;
};

struct Playlist {
    std::string uri;
    std::string name;
    std::optional<std::string> owner;     // display name
    std::optional<int> tracks;            // item count
    std::optional<std::string> owner_id;  // the owner's user id: who may change it
    bool collaborative = false;           // others may change it too

    bool operator==(const Playlist&) const = default;
};

struct PlaylistPage {
    std::vector<Playlist> items;
    std::optional<std::string> next;  // absolute URL of the next page
    int total = 0;
};

// get_queue (spotify/Endpoints.h): what plays now and what Spotify will play after it, the
// user's own queue first, then the rest of the context.
struct PlayQueue {
    std::optional<Track> current;
    std::vector<Track> next;
};

struct UserProfile {
    std::string id;
    std::optional<std::string> display_name;
    std::optional<bool> premium;  // unknown when Spotify omits `product`
};

}  // namespace s2m
