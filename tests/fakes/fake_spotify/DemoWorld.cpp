#include "DemoWorld.h"

#include <cctype>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "UserSpec.h"

namespace fake_spotify {

namespace {

// The demo is what README.md's examples run against (a test pastes every mosquitto_pub/_sub
// line of it into a demo): the account "alice", a playlist "Morning" playing on the "Kitchen"
// speaker, the track and album the examples link to. Change both together.
struct DemoTrack {
    const char* name;
    const char* artist;
    const char* album;
    int seconds;
    const char* id = nullptr;  // a real-looking id where the README links to the track
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

// The album the README's album link names; the others get ids made from their names.
std::string album_id_of(const std::string& album) {
    return album == "Afterglow City" ? "4aawyAB9vmqN3uQ7FjRGTy" : "demoAlbum" + slug(album);
}

const std::vector<DemoPlaylist>& playlists() {
    static const std::vector<DemoPlaylist> all = {
        {"37i9dQZF1DXcBWIGoYBM5M",
         "Morning",
         {{"Amber Window", "Hollow Pines", "Quiet Hours", 94},
          {"Slow Tide", "Marlow & Finch", "Harbour Lights", 71},
          {"Paper Lanterns", "Hollow Pines", "Quiet Hours", 112},
          {"Overpass", "Velvet Circuit", "Afterglow City", 215, "4uLU6hMCjMI75M1A2tKUQC"},
          {"Kettle Song", "June Alder", "Small Rooms", 58},
          {"Linen", "Marlow & Finch", "Harbour Lights", 83}}},
        {"demoNightDrive",
         "Night Drive",
         {{"Neon Rain", "Velvet Circuit", "Afterglow City", 105},
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
            char generated[32];
            std::snprintf(generated, sizeof generated, "demoTrack%02d", ++number);
            std::string album_id = album_id_of(track.album);
            std::string uri = std::string("spotify:track:") + (track.id ? track.id : generated);
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
        {{{"id", "5fbb3ba6aa454b5534c4ba43a8c7e8e45a63ad0e"},
          {"name", "Kitchen"},
          {"type", "Speaker"},
          {"volume_percent", 55}},
         // Like a Sonos speaker: visible, but Spotify accepts no Web API commands for it.
         {{"id", "a1c9e2d07b6f4c3e9a8d5b2f1e0c7a6b4d3e2f1a"},
          {"name", "Living Room"},
          {"type", "Speaker"},
          {"is_restricted", true},
          {"supports_volume", false},
          {"volume_percent", 30}},
         {{"id", "0d4e8b2c6a1f9e3d7c5b4a2e1f0d9c8b7a6e5d4c"},
          {"name", "Phone"},
          {"type", "Smartphone"},
          {"supports_volume", false},
          {"volume_percent", 100}}});
    return {{"id", "alice"},
            {"display_name", "Alice"},
            {"product", "premium"},
            {"refresh_token", "demo-refresh-token"},
            {"rotate_refresh_tokens", false},
            {"tracks", tracks},
            {"playlists", lists},
            {"devices", devices},
            {"liked", {"spotify:track:demoTrack01", "spotify:track:demoTrack07"}},
            {"saved_episodes", {"spotify:episode:fakeEpisode2", "spotify:episode:fakeEpisode1"}},
            // Saved albums, a show and an audiobook, and followed artists (bridge/request/library).
            {"library",
             {"spotify:album:4aawyAB9vmqN3uQ7FjRGTy", "spotify:album:demoAlbumQuietHours",
              "spotify:album:demoAlbumHarbourLights", "spotify:show:fakeShow1",
              "spotify:audiobook:fakeBook1", "spotify:artist:4tZwfgrHOc3mvqYlEYSvVi",
              "spotify:artist:0hSsjcSQuc3p6JNxDXWr9v", "spotify:artist:6vWDO969PvNqNYHIOW5v0m"}},
            {"playback",
             {{"context_uri", "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M"},
              {"track_uri", "spotify:track:4uLU6hMCjMI75M1A2tKUQC"},
              {"device_id", "5fbb3ba6aa454b5534c4ba43a8c7e8e45a63ad0e"},
              {"volume", 55},
              {"repeat", "context"},
              {"is_playing", true}}}};
}

void load_demo(World& world) {
    std::lock_guard lock(world.mutex());
    nlohmann::json spec = demo_user_spec();
    // A short listening history, so the `recent` topic and the "Last played" sensor show
    // something at once: three "Night Drive" songs, nine hours ago (newest first).
    const int64_t now = world.now_ms();
    const int64_t hour = 3600 * 1000;
    spec["recently_played"] = {
        {{"uri", "spotify:track:demoTrack09"}, {"played_at_ms", now - 9 * hour}},
        {{"uri", "spotify:track:demoTrack08"}, {"played_at_ms", now - 9 * hour - 77000}},
        {{"uri", "spotify:track:demoTrack07"}, {"played_at_ms", now - 9 * hour - 196000}}};
    create_user(world, spec);
}

}  // namespace fake_spotify
