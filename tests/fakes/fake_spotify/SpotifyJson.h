// Renders the world as the Web API's JSON objects (shapes from Spotify's Web API reference,
// developer.spotify.com/documentation/web-api). `base` is "http://host:port"; hrefs point back at
// this fake.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "World.h"

namespace fake_spotify {

using nlohmann::json;

json external_urls(const std::string& type, const std::string& id);
// An image URL as stored: "/image/<id>" (served by this fake) is made absolute against `base`;
// anything else is kept.
std::string image_address(const std::string& url, const std::string& base);
// Largest first, like Spotify.
json image_list(const std::string& image_url, const std::string& base);
json item_json(World& world, const Item& item, const std::string& base);  // Track/EpisodeObject
json device_json(const Device& device, bool active);
json context_json(const std::string& uri, const std::string& base);  // ContextObject
json simplified_playlist_json(const Context& playlist, const std::string& base);
json playlist_json(World& world, const Context& playlist, const std::string& base);
std::optional<json> album_json(World& world, const std::string& album_id, const std::string& base);
json private_user_json(const User& user, const std::string& base);
// PagingObject around `items`: href, next and previous from `page_url(offset)`.
json paging_json(const std::function<std::string(int64_t)>& page_url, json items, int64_t limit,
                 int64_t offset, int64_t total);

// CurrentlyPlayingContextObject (full: with device, shuffle and repeat) or
// CurrentlyPlayingObject. Episodes are only shown as items when the client asked for them
// with additional_types=episode, as Spotify does. Requires an active playback.
json playing_json(World& world, const User& user, const std::string& base, bool full,
                  bool episodes);

}  // namespace fake_spotify
