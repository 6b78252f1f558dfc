#include "SpotifyJson.h"

#include <algorithm>

#include "Playback.h"

namespace fake_spotify {

namespace {

const char* kReleaseDate = "2024-05-17";

json artist_json(const Artist& artist, const std::string& base) {
    return {{"external_urls", external_urls("artist", artist.id)},
            {"href", base + "/v1/artists/" + artist.id},
            {"id", artist.id},
            {"name", artist.name},
            {"type", "artist"},
            {"uri", "spotify:artist:" + artist.id}};
}

json simplified_album_json(World& world, const Item& track, const std::string& base) {
    json artists = json::array();
    for (const auto& artist : track.artists) artists.push_back(artist_json(artist, base));
    return {{"album_type", "album"},
            {"total_tracks", world.album_items(track.album_id).size()},
            {"available_markets", json::array({"DE", "GB", "US"})},
            {"external_urls", external_urls("album", track.album_id)},
            {"href", base + "/v1/albums/" + track.album_id},
            {"id", track.album_id},
            {"images", image_list(track.image_url, base)},
            {"name", track.album_name},
            {"release_date", kReleaseDate},
            {"release_date_precision", "day"},
            {"type", "album"},
            {"uri", "spotify:album:" + track.album_id},
            {"artists", artists}};
}

json track_json(World& world, const Item& track, const std::string& base) {
    json artists = json::array();
    for (const auto& artist : track.artists) artists.push_back(artist_json(artist, base));
    return {{"album", simplified_album_json(world, track, base)},
            {"artists", artists},
            {"available_markets", json::array({"DE", "GB", "US"})},
            {"disc_number", 1},
            {"duration_ms", track.duration_ms},
            {"explicit", false},
            {"external_ids", {{"isrc", "XXFAKE" + track.id.substr(0, 6)}}},
            {"external_urls", external_urls("track", track.id)},
            {"href", base + "/v1/tracks/" + track.id},
            {"id", track.id},
            {"is_playable", true},
            {"name", track.name},
            {"popularity", 42},
            {"preview_url", nullptr},
            {"track_number", track.track_number},
            {"type", "track"},
            {"uri", track.uri},
            {"is_local", false}};
}

// The player shows a chapter as an episode of its audiobook; the audiobook's authors stand where a
// show names its publisher.
std::string publisher_of(const Item& ep) {
    if (!ep.chapter) return ep.publisher;
    std::string authors;
    for (const auto& author : ep.artists) authors += (authors.empty() ? "" : ", ") + author.name;
    return authors;
}

json episode_json(World& world, const Item& ep, const std::string& base) {
    json show = {{"available_markets", json::array({"DE", "GB", "US"})},
                 {"copyrights", json::array()},
                 {"description", "A show that only exists in tests."},
                 {"html_description", "<p>A show that only exists in tests.</p>"},
                 {"explicit", false},
                 {"external_urls", external_urls("show", ep.album_id)},
                 {"href", base + "/v1/shows/" + ep.album_id},
                 {"id", ep.album_id},
                 {"images", image_list(ep.image_url, base)},
                 {"is_externally_hosted", false},
                 {"languages", json::array({"en"})},
                 {"media_type", "audio"},
                 {"name", ep.album_name},
                 {"publisher", publisher_of(ep)},
                 {"type", "show"},
                 {"uri", "spotify:show:" + ep.album_id},
                 {"total_episodes", world.album_items(ep.album_id).size()}};
    return {{"audio_preview_url", nullptr},
            {"description", "An episode that only exists in tests."},
            {"html_description", "<p>An episode that only exists in tests.</p>"},
            {"duration_ms", ep.duration_ms},
            {"explicit", false},
            {"external_urls", external_urls("episode", ep.id)},
            {"href", base + "/v1/episodes/" + ep.id},
            {"id", ep.id},
            {"images", image_list(ep.image_url, base)},
            {"is_externally_hosted", false},
            {"is_playable", true},
            {"language", "en"},
            {"languages", json::array({"en"})},
            {"name", ep.name},
            {"release_date", kReleaseDate},
            {"release_date_precision", "day"},
            {"type", "episode"},
            {"uri", ep.uri},
            {"show", show}};
}

json owner_json(const Context& playlist, const std::string& base) {
    return {{"external_urls", external_urls("user", playlist.owner_id)},
            {"href", base + "/v1/users/" + playlist.owner_id},
            {"id", playlist.owner_id},
            {"type", "user"},
            {"uri", "spotify:user:" + playlist.owner_id},
            {"display_name", playlist.owner_name}};
}

json playlist_image(const Context& playlist, const std::string& base) {
    if (playlist.image_url.empty()) return json::array();
    // Playlist mosaics come without dimensions from Spotify.
    return json::array({{{"url", image_address(playlist.image_url, base)},
                         {"height", nullptr},
                         {"width", nullptr}}});
}

}  // namespace

json external_urls(const std::string& type, const std::string& id) {
    return {{"spotify", "https://open.spotify.com/" + type + "/" + id}};
}

std::string image_address(const std::string& url, const std::string& base) {
    return url.starts_with("/") ? base + url : url;
}

json image_list(const std::string& image_url, const std::string& base) {
    if (image_url.empty()) return json::array();
    std::string url = image_address(image_url, base);
    return json::array({{{"url", url}, {"height", 640}, {"width", 640}},
                        {{"url", url + "?size=300"}, {"height", 300}, {"width", 300}},
                        {{"url", url + "?size=64"}, {"height", 64}, {"width", 64}}});
}

json item_json(World& world, const Item& item, const std::string& base) {
    return item.episode ? episode_json(world, item, base) : track_json(world, item, base);
}

json device_json(const Device& device, bool active) {
    return {{"id", device.id},
            {"is_active", active},
            {"is_private_session", device.is_private_session},
            {"is_restricted", device.is_restricted},
            {"name", device.name},
            {"type", device.type},
            {"volume_percent", device.volume_percent},
            {"supports_volume", device.supports_volume}};
}

json context_json(const std::string& uri, const std::string& base) {
    if (uri.size() > 11 && uri.ends_with(":collection")) {
        return {{"type", "collection"},
                {"href", base + "/v1/me/tracks"},
                {"external_urls", {{"spotify", "https://open.spotify.com/collection/tracks"}}},
                {"uri", uri}};
    }
    if (uri.ends_with(":collection:your-episodes")) {
        return {{"type", "collection"},
                {"href", base + "/v1/me/episodes"},
                {"external_urls", {{"spotify", "https://open.spotify.com/collection/episodes"}}},
                {"uri", uri}};
    }
    auto parts = split_uri(uri);
    std::string type = parts ? parts->first : "unknown";
    std::string id = parts ? parts->second : uri;
    return {{"type", type},
            {"href", base + "/v1/" + type + "s/" + id},
            {"external_urls", external_urls(type, id)},
            {"uri", uri}};
}

json simplified_playlist_json(const Context& playlist, const std::string& base) {
    std::string href = base + "/v1/playlists/" + playlist.id;
    json ref_items = {{"href", href + "/items"}, {"total", playlist.items.size()}};
    json ref_tracks = {{"href", href + "/tracks"}, {"total", playlist.items.size()}};
    return {{"collaborative", playlist.collaborative},
            {"description", playlist.description},
            {"external_urls", external_urls("playlist", playlist.id)},
            {"href", href},
            {"id", playlist.id},
            {"images", playlist_image(playlist, base)},
            {"name", playlist.name},
            {"owner", owner_json(playlist, base)},
            {"public", playlist.is_public},
            {"snapshot_id", "fakesnapshot" + std::to_string(playlist.items.size())},
            {"items", ref_items},
            {"tracks", ref_tracks},
            {"type", "playlist"},
            {"uri", playlist.uri}};
}

json playlist_json(World& world, const Context& playlist, const std::string& base) {
    json out = simplified_playlist_json(playlist, base);
    json entries = json::array();
    for (const auto& uri : playlist.items) {
        json added_by = owner_json(playlist, base);
        added_by.erase("display_name");
        json item = item_json(world, world.ensure_item(uri), base);
        entries.push_back({{"added_at", "2024-05-17T12:00:00Z"},
                           {"added_by", added_by},
                           {"is_local", false},
                           {"item", item},
                           {"track", item}});
    }
    json page = {{"href", base + "/v1/playlists/" + playlist.id + "/items?offset=0&limit=100"},
                 {"items", entries},
                 {"limit", 100},
                 {"next", nullptr},
                 {"offset", 0},
                 {"previous", nullptr},
                 {"total", playlist.items.size()}};
    out["items"] = page;
    out["tracks"] = page;
    out["followers"] = {{"href", nullptr}, {"total", 0}};
    return out;
}

std::optional<json> album_json(World& world, const std::string& album_id, const std::string& base) {
    auto items = world.album_items(album_id);
    if (items.empty() || items.front()->episode) return std::nullopt;
    json album = simplified_album_json(world, *items.front(), base);
    json tracks = json::array();
    for (const Item* track : items) {
        json simplified = track_json(world, *track, base);
        simplified.erase("album");
        tracks.push_back(simplified);
    }
    album["tracks"] = {{"href", base + "/v1/albums/" + album_id + "/tracks?offset=0&limit=50"},
                       {"items", tracks},
                       {"limit", 50},
                       {"next", nullptr},
                       {"offset", 0},
                       {"previous", nullptr},
                       {"total", items.size()}};
    album["copyrights"] = json::array({{{"text", "(C) Fake Records"}, {"type", "C"}}});
    album["external_ids"] = {{"upc", "000000000000"}};
    album["genres"] = json::array();
    album["label"] = "Fake Records";
    album["popularity"] = 42;
    return album;
}

json private_user_json(const User& user, const std::string& base) {
    return {{"account_id", "acct" + user.id},
            {"country", "DE"},
            {"display_name", user.display_name},
            {"email", user.id + "@example.invalid"},
            {"explicit_content", {{"filter_enabled", false}, {"filter_locked", false}}},
            {"external_urls", external_urls("user", user.id)},
            {"followers", {{"href", nullptr}, {"total", 0}}},
            {"href", base + "/v1/users/" + user.id},
            {"id", user.id},
            {"images", json::array()},
            {"product", user.product},
            {"type", "user"},
            {"uri", "spotify:user:" + user.id}};
}

json paging_json(const std::function<std::string(int64_t)>& page_url, json items, int64_t limit,
                 int64_t offset, int64_t total) {
    return {{"href", page_url(offset)},
            {"items", std::move(items)},
            {"limit", limit},
            {"next", offset + limit < total ? json(page_url(offset + limit)) : json(nullptr)},
            {"offset", offset},
            {"previous",
             offset > 0 ? json(page_url(std::max<int64_t>(0, offset - limit))) : json(nullptr)},
            {"total", total}};
}

json playing_json(World& world, const User& user, const std::string& base, bool full,
                  bool episodes) {
    const Playback& pb = user.playback;
    const Item& item = current_item(world, user);
    json disallows = pb.is_playing ? json{{"resuming", true}} : json{{"pausing", true}};
    json out = {
        {"context", pb.context_uri.empty() ? json(nullptr) : context_json(pb.context_uri, base)},
        {"timestamp", pb.changed_ms},
        {"progress_ms", pb.progress_ms},
        {"is_playing", pb.is_playing},
        {"item", item.episode && !episodes ? json(nullptr) : item_json(world, item, base)},
        {"currently_playing_type", item.episode ? "episode" : "track"},
        {"actions", disallows}};
    if (full) {
        const Device* device = user.device(pb.device_id);
        out["device"] = device ? device_json(*device, true) : json(nullptr);
        out["repeat_state"] = pb.repeat;
        out["shuffle_state"] = pb.shuffle;
    }
    return out;
}

}  // namespace fake_spotify
