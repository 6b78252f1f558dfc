#include "UserSpec.h"

#include <algorithm>
#include <cctype>

#include "Http.h"
#include "ListeningApi.h"
#include "Playback.h"

namespace fake_spotify {

namespace {

// A user who agreed to everything the bridge asks for today (docs/linking.md#scopes); a test of
// an account linked before gives its spec an older "scope".
const char* kDefaultScope =
    "user-read-playback-state user-modify-playback-state user-read-currently-playing "
    "playlist-read-private playlist-read-collaborative user-library-read user-library-modify "
    "user-read-private playlist-modify-private playlist-modify-public user-read-recently-played "
    "user-top-read user-follow-read";

void check_object(const json& obj, const std::string& what,
                  std::initializer_list<const char*> allowed) {
    if (!obj.is_object()) throw ApiError(400, what + " must be a JSON object");
    for (const auto& [key, value] : obj.items()) {
        if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }) ==
            allowed.end()) {
            std::string list;
            for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
            throw ApiError(400,
                           "unknown key '" + key + "' in " + what + " (allowed: " + list + ")");
        }
    }
}

template <typename T>
T field(const json& obj, const char* key, T fallback, const std::string& what) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return fallback;
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        throw ApiError(400, what + "." + key + " has the wrong type");
    }
}

std::string alnum(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c))) out += c;
    }
    return out.empty() ? "x" : out;
}

std::string require_uri(const std::string& uri, std::initializer_list<const char*> types) {
    auto parts = split_uri(uri);
    for (const char* type : types) {
        if (parts && parts->first == type) return uri;
    }
    throw ApiError(400, "Invalid uri: " + uri);
}

void add_track(World& world, const json& spec) {
    check_object(spec, "track",
                 {"uri", "name", "artists", "artist", "album", "album_id", "album_art",
                  "duration_ms", "track_number"});
    Item item;
    item.uri = require_uri(field<std::string>(spec, "uri", "", "track"), {"track"});
    item.id = split_uri(item.uri)->second;
    item.name = field<std::string>(spec, "name", "Track " + item.id, "track");
    auto names = field<std::vector<std::string>>(spec, "artists", {}, "track");
    if (spec.contains("artist")) names.push_back(field<std::string>(spec, "artist", "", "track"));
    if (names.empty()) names.push_back("Unknown Artist");
    for (const auto& name : names) item.artists.push_back({"artist" + alnum(name), name});
    item.album_name = field<std::string>(spec, "album", "Unknown Album", "track");
    item.album_id = field<std::string>(spec, "album_id", "album" + alnum(item.album_name), "track");
    item.image_url = field<std::string>(spec, "album_art", "/image/" + item.album_id, "track");
    item.duration_ms = field<int64_t>(spec, "duration_ms", 180000, "track");
    item.track_number = field<int>(spec, "track_number", 1, "track");
    world.put_item(item);
}

void add_episode(World& world, const json& spec) {
    check_object(spec, "episode",
                 {"uri", "name", "show", "show_id", "publisher", "image", "duration_ms"});
    Item item;
    item.episode = true;
    item.uri = require_uri(field<std::string>(spec, "uri", "", "episode"), {"episode"});
    item.id = split_uri(item.uri)->second;
    item.name = field<std::string>(spec, "name", "Episode " + item.id, "episode");
    item.album_name = field<std::string>(spec, "show", "Unknown Show", "episode");
    item.album_id = field<std::string>(spec, "show_id", "show" + alnum(item.album_name), "episode");
    item.publisher = field<std::string>(spec, "publisher", "Unknown Publisher", "episode");
    item.image_url = field<std::string>(spec, "image", "/image/" + item.album_id, "episode");
    item.duration_ms = field<int64_t>(spec, "duration_ms", 1800000, "episode");
    world.put_item(item);
}

Context parse_playlist(World& world, const User& user, const json& spec) {
    check_object(spec, "playlist",
                 {"id", "name", "owner", "owner_id", "tracks", "image", "collaborative"});
    Context pl;
    pl.type = "playlist";
    pl.id = field<std::string>(spec, "id", "", "playlist");
    if (pl.id.empty()) throw ApiError(400, "playlist.id is required");
    pl.uri = "spotify:playlist:" + pl.id;
    pl.name = field<std::string>(spec, "name", "Playlist " + pl.id, "playlist");
    pl.owner_name = field<std::string>(spec, "owner", user.display_name, "playlist");
    pl.owner_id = field<std::string>(spec, "owner_id", user.id, "playlist");
    pl.collaborative = field<bool>(spec, "collaborative", false, "playlist");
    for (const auto& uri : field<std::vector<std::string>>(spec, "tracks", {}, "playlist")) {
        pl.items.push_back(require_uri(uri, {"track", "episode"}));
        world.ensure_item(uri);
    }
    std::string first_art = pl.items.empty() ? "" : world.ensure_item(pl.items[0]).image_url;
    pl.image_url = field<std::string>(spec, "image", first_art, "playlist");
    return pl;
}

json default_playlists(const User& user) {
    std::string id = alnum(user.id);
    auto t = [](int n) { return "spotify:track:fakeTrack0" + std::to_string(n); };
    return json::array({{{"id", "pl" + id + "Morning"},
                         {"name", "Morning Mix"},
                         {"tracks", {t(1), t(3), t(5), t(7)}}},
                        {{"id", "pl" + id + "Evening"},
                         {"name", "Evening Chill"},
                         {"tracks", {t(2), t(4), t(6), t(8), t(1)}}}});
}

const json kDefaultDevices = json::array({{{"id", "fake-device-speaker"},
                                           {"name", "Fake Speaker"},
                                           {"type", "Speaker"},
                                           {"volume_percent", 50}},
                                          {{"id", "fake-device-phone"},
                                           {"name", "Fake Phone"},
                                           {"type", "Smartphone"},
                                           {"volume_percent", 80}}});

// Picks a device when playback becomes active without one: an unrestricted device if any.
void ensure_device(User& user) {
    Playback& pb = user.playback;
    if (!pb.device_id.empty() && user.device(pb.device_id)) return;
    if (user.devices.empty()) throw ApiError(400, "user has no devices to play on");
    auto it = std::find_if(user.devices.begin(), user.devices.end(),
                           [](const Device& d) { return !d.is_restricted; });
    pb.device_id = (it == user.devices.end() ? user.devices.front() : *it).id;
}

size_t index_in(const std::vector<std::string>& order, const json& change) {
    if (change.contains("track_index")) {
        auto index = field<int64_t>(change, "track_index", 0, "playback");
        if (index < 0 || static_cast<size_t>(index) >= order.size()) {
            throw ApiError(400, "playback.track_index out of range");
        }
        return static_cast<size_t>(index);
    }
    if (change.contains("track_uri")) {
        auto uri = field<std::string>(change, "track_uri", "", "playback");
        auto it = std::find(order.begin(), order.end(), uri);
        if (it == order.end()) throw ApiError(400, "playback.track_uri is not in the context");
        return static_cast<size_t>(it - order.begin());
    }
    return 0;
}

}  // namespace

std::vector<Device> parse_devices(const json& spec) {
    if (!spec.is_array()) throw ApiError(400, "devices must be an array");
    std::vector<Device> devices;
    for (const auto& d : spec) {
        check_object(d, "device",
                     {"id", "name", "type", "is_active", "is_restricted", "supports_volume",
                      "volume_percent", "is_private_session"});
        Device device;
        device.id = field<std::string>(d, "id", "", "device");
        if (device.id.empty()) throw ApiError(400, "device.id is required");
        device.name = field<std::string>(d, "name", device.id, "device");
        device.type = field<std::string>(d, "type", "Computer", "device");
        device.is_restricted = field<bool>(d, "is_restricted", false, "device");
        device.supports_volume = field<bool>(d, "supports_volume", true, "device");
        device.is_private_session = field<bool>(d, "is_private_session", false, "device");
        device.volume_percent = std::clamp(field<int>(d, "volume_percent", 50, "device"), 0, 100);
        devices.push_back(device);
    }
    return devices;
}

User& create_user(World& world, const json& spec) {
    check_object(
        spec, "user",
        {"id", "display_name", "product", "refresh_token", "rotate_refresh_tokens",
         "token_lifetime_s", "scope", "devices", "playlists", "tracks", "episodes", "liked",
         "saved_episodes", "library", "playback", "recently_played", "top_tracks", "top_artists"});
    User user;
    user.id = field<std::string>(spec, "id", "", "user");
    if (user.id.empty()) throw ApiError(400, "user.id is required");
    user.display_name = field<std::string>(spec, "display_name", user.id, "user");
    user.product = field<std::string>(spec, "product", "premium", "user");
    if (user.product != "premium" && user.product != "free" && user.product != "open") {
        throw ApiError(400, "user.product must be premium, free or open");
    }
    user.scope = field<std::string>(spec, "scope", kDefaultScope, "user");
    user.rotate_refresh_tokens = field<bool>(spec, "rotate_refresh_tokens", false, "user");
    user.token_lifetime_s = field<int64_t>(spec, "token_lifetime_s", 3600, "user");
    if (user.token_lifetime_s < 1) throw ApiError(400, "user.token_lifetime_s must be >= 1");
    auto refresh_token = field<std::string>(spec, "refresh_token", "rt-" + user.id, "user");

    for (const auto& t : field<json>(spec, "tracks", json::array(), "user")) add_track(world, t);
    for (const auto& e : field<json>(spec, "episodes", json::array(), "user"))
        add_episode(world, e);
    user.devices = parse_devices(field<json>(spec, "devices", kDefaultDevices, "user"));
    for (const auto& p : field<json>(spec, "playlists", default_playlists(user), "user")) {
        Context pl = parse_playlist(world, user, p);
        user.playlists.push_back(pl.uri);
        world.put_playlist(std::move(pl));
    }
    std::vector<std::string> liked_default = {"spotify:track:fakeTrack02",
                                              "spotify:track:fakeTrack05"};
    for (const auto& uri : field<std::vector<std::string>>(spec, "liked", liked_default, "user")) {
        user.liked.push_back(require_uri(uri, {"track", "episode"}));
        world.ensure_item(uri);
    }
    for (const auto& uri : field<std::vector<std::string>>(spec, "saved_episodes", {}, "user"))
        user.saved_episodes.push_back(world.ensure_item(require_uri(uri, {"episode"})).uri);
    // Saved albums, shows, audiobooks and playlists, and followed artists (LibraryApi.h).
    for (const auto& uri : field<std::vector<std::string>>(spec, "library", {}, "user"))
        user.library.insert(require_uri(uri, {"album", "show", "audiobook", "artist", "playlist"}));
    apply_listening_spec(world, user, spec);
    User& stored = world.put_user(std::move(user), refresh_token);
    if (spec.contains("playback")) apply_playback_change(world, stored, spec["playback"]);
    return stored;
}

void apply_playback_change(World& world, User& user, const json& change) {
    check_object(change, "playback",
                 {"active", "is_playing", "context_uri", "uris", "track_index", "track_uri",
                  "progress_ms", "device_id", "volume", "shuffle", "repeat", "queue"});
    const int64_t now = world.now_ms();
    settle(world, user, now);
    Playback& pb = user.playback;
    if (!field<bool>(change, "active", true, "playback")) {
        pb.active = false;
        pb.is_playing = false;
        pb.changed_ms = now;
        return;
    }
    if (change.contains("device_id")) {
        auto id = field<std::string>(change, "device_id", "", "playback");
        if (!user.device(id))
            throw ApiError(400, "playback.device_id is not one of the user's devices");
        pb.device_id = id;
    }
    if (change.contains("context_uri")) {
        auto uri = field<std::string>(change, "context_uri", "", "playback");
        auto ctx = world.context(user, uri);
        if (!ctx || ctx->items.empty()) throw ApiError(400, "unknown or empty context " + uri);
        load(world, user, uri, ctx->items, index_in(ctx->items, change), 0, now);
    } else if (change.contains("uris")) {
        auto uris = field<std::vector<std::string>>(change, "uris", {}, "playback");
        if (uris.empty()) throw ApiError(400, "playback.uris must not be empty");
        for (const auto& uri : uris) world.ensure_item(require_uri(uri, {"track", "episode"}));
        load(world, user, "", uris, index_in(uris, change), 0, now);
    } else if (change.contains("track_index") || change.contains("track_uri")) {
        auto uri = field<std::string>(change, "track_uri", "", "playback");
        if (!uri.empty() && std::find(pb.order.begin(), pb.order.end(), uri) == pb.order.end()) {
            world.ensure_item(require_uri(uri, {"track", "episode"}));
            load(world, user, "", {uri}, 0, 0, now);
        } else {
            load(world, user, pb.context_uri, pb.order, index_in(pb.order, change), 0, now);
        }
    }
    // Only the modes and the queue can change without waking an idle player up.
    bool activating = false;
    for (auto it = change.begin(); it != change.end(); ++it) {
        activating |= it.key() != "shuffle" && it.key() != "repeat" && it.key() != "queue";
    }
    if (!pb.active && activating) {
        ensure_session(world, user, now);
        pb.active = true;
    }
    if (pb.active) ensure_device(user);
    if (change.contains("progress_ms")) {
        auto position = field<int64_t>(change, "progress_ms", 0, "playback");
        if (position < 0) throw ApiError(400, "playback.progress_ms must be >= 0");
        seek(world, user, position, now);
    }
    if (change.contains("volume")) {
        auto volume = field<int>(change, "volume", 0, "playback");
        if (volume < 0 || volume > 100) throw ApiError(400, "playback.volume must be 0..100");
        user.device(pb.device_id)->volume_percent = volume;
    }
    pb.shuffle = field<bool>(change, "shuffle", pb.shuffle, "playback");
    auto repeat = field<std::string>(change, "repeat", pb.repeat, "playback");
    if (repeat != "off" && repeat != "track" && repeat != "context") {
        throw ApiError(400, "playback.repeat must be off, track or context");
    }
    pb.repeat = repeat;
    if (change.contains("queue")) {
        pb.queue.clear();
        for (const auto& uri : field<std::vector<std::string>>(change, "queue", {}, "playback")) {
            pb.queue.push_back(world.ensure_item(require_uri(uri, {"track", "episode"})).uri);
        }
    }
    if (change.contains("is_playing")) {
        set_playing(world, user, field<bool>(change, "is_playing", false, "playback"), now);
    }
    pb.anchor_ms = now;
    pb.changed_ms = now;
}

}  // namespace fake_spotify
