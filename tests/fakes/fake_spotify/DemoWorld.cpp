#include "DemoWorld.h"

#include <cctype>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "UserSpec.h"

namespace fake_spotify {

namespace {

struct DemoTrack {
    const char* name;
    const char* artist;
    const char* album;
    int seconds;
};

struct DemoPlaylist {
    const char* id;
    const char* name;
    std::vector<DemoTrack> tracks;
};

std::string slug(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c))) out += c;
    }
    return out;
}

const std::vector<DemoPlaylist>& playlists() {
    static const std::vector<DemoPlaylist> all = {
        {"demoSundayMorning",
         "Sunday Morning Coffee",
         {{"Amber Window", "Hollow Pines", "Quiet Hours", 94},
          {"Slow Tide", "Marlow & Finch", "Harbour Lights", 71},
          {"Paper Lanterns", "Hollow Pines", "Quiet Hours", 112},
          {"Kettle Song", "June Alder", "Small Rooms", 58},
          {"Linen", "Marlow & Finch", "Harbour Lights", 83}}},
        {"demoNightDrive",
         "Night Drive",
         {{"Neon Rain", "Velvet Circuit", "Afterglow City", 105},
          {"Overpass", "Velvet Circuit", "Afterglow City", 66},
          {"Tail Lights", "The Midnight Static", "Long Way Home", 119},
          {"Empty Roads", "The Midnight Static", "Long Way Home", 77},
          {"4 AM", "Kira Vale", "Satellites", 48},
          {"Satellite Heart", "Kira Vale", "Satellites", 101}}},
        {"demoKitchenParty",
         "Kitchen Dance Party",
         {{"Butter Fingers", "The Sunny Spoons", "Sugar Rush", 62},
          {"Shake It Loose", "Disco Lemonade", "Fizz", 88},
          {"Saturday Socks", "The Sunny Spoons", "Sugar Rush", 55},
          {"Fizz & Pop", "Disco Lemonade", "Fizz", 97}}},
    };
    return all;
}

}  // namespace

nlohmann::json demo_user_spec() {
    using nlohmann::json;
    json tracks = json::array();
    json lists = json::array();
    int number = 0;
    for (const auto& playlist : playlists()) {
        json uris = json::array();
        for (const auto& track : playlist.tracks) {
            char id[32];
            std::snprintf(id, sizeof id, "demoTrack%02d", ++number);
            std::string album_id = "demoAlbum" + slug(track.album);
            std::string uri = std::string("spotify:track:") + id;
            tracks.push_back({{"uri", uri},
                              {"name", track.name},
                              {"artists", {track.artist}},
                              {"album", track.album},
                              {"album_id", album_id},
                              {"album_art", "/image/" + album_id},
                              {"duration_ms", track.seconds * 1000},
                              {"track_number", number}});
            uris.push_back(uri);
        }
        lists.push_back({{"id", playlist.id},
                         {"name", playlist.name},
                         {"tracks", uris},
                         {"image", std::string("/image/") + playlist.id}});
    }
    json devices = json::array(
        {{{"id", "demo-living-room"},
          {"name", "Living Room Speaker"},
          {"type", "Speaker"},
          {"volume_percent", 45}},
         // Like a Sonos speaker: visible, but Spotify accepts no Web API commands for it.
         {{"id", "demo-kitchen"},
          {"name", "Kitchen"},
          {"type", "Speaker"},
          {"is_restricted", true},
          {"supports_volume", false},
          {"volume_percent", 30}},
         {{"id", "demo-phone"},
          {"name", "Phone"},
          {"type", "Smartphone"},
          {"supports_volume", false},
          {"volume_percent", 100}}});
    return {{"id", "demo"},
            {"display_name", "Demo Listener"},
            {"product", "premium"},
            {"refresh_token", "demo-refresh-token"},
            {"rotate_refresh_tokens", false},
            {"tracks", tracks},
            {"playlists", lists},
            {"devices", devices},
            {"liked", {"spotify:track:demoTrack01", "spotify:track:demoTrack07"}},
            {"playback",
             {{"context_uri", "spotify:playlist:demoSundayMorning"},
              {"device_id", "demo-living-room"},
              {"volume", 45},
              {"repeat", "context"},
              {"is_playing", true}}}};
}

void load_demo(World& world) {
    std::lock_guard lock(world.mutex());
    create_user(world, demo_user_spec());
}

}  // namespace fake_spotify
