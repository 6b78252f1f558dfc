#include "ListeningApi.h"

#include <algorithm>
#include <ctime>
#include <mutex>

#include "Playback.h"
#include "ScopeCheck.h"
#include "SpotifyJson.h"

namespace fake_spotify {

namespace {

// Spotify's timestamps: 2026-12-06T07:00:00.123Z.
std::string iso_time(int64_t unix_ms) {
    std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    char millis[8];
    std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(unix_ms % 1000));
    return std::string(text) + millis;
}

std::vector<std::string> top_track_uris(const User& user) {
    if (!user.top_tracks.empty()) return user.top_tracks;
    std::vector<std::string> uris;
    auto add = [&](const std::string& uri) {
        if (uri.starts_with("spotify:track:") &&
            std::find(uris.begin(), uris.end(), uri) == uris.end())
            uris.push_back(uri);
    };
    for (const auto& uri : user.liked) add(uri);
    for (const auto& play : user.played) add(play.uri);
    return uris;
}

std::vector<Artist> top_artists(World& world, const User& user) {
    std::vector<Artist> artists;
    auto known = [&](const std::string& id) {
        return std::find_if(artists.begin(), artists.end(),
                            [&](const Artist& a) { return a.id == id; }) != artists.end();
    };
    if (!user.top_artists.empty()) {
        for (const auto& id : user.top_artists) {
            Artist found{id, id};
            for (const auto& [uri, item] : world.catalogue())
                for (const auto& artist : item.artists)
                    if (artist.id == id) found = artist;
            if (!known(id)) artists.push_back(found);
        }
        return artists;
    }
    for (const auto& uri : top_track_uris(user))
        for (const auto& artist : world.ensure_item(uri).artists)
            if (!known(artist.id)) artists.push_back(artist);
    return artists;
}

// ArtistObject: the simplified one and what the full one adds.
json full_artist_json(const Artist& artist, const std::string& base) {
    return {{"external_urls", external_urls("artist", artist.id)},
            {"followers", {{"href", nullptr}, {"total", 0}}},
            {"genres", json::array()},
            {"href", base + "/v1/artists/" + artist.id},
            {"id", artist.id},
            {"images", json::array()},
            {"name", artist.name},
            {"popularity", 50},
            {"type", "artist"},
            {"uri", "spotify:artist:" + artist.id}};
}

}  // namespace

void record_play(User& user, const std::string& uri, int64_t played_at_ms) {
    if (uri.empty()) return;
    user.played.push_front(Play{uri, played_at_ms});
    while (user.played.size() > kHistoryLength) user.played.pop_back();
}

void apply_listening_spec(World& world, User& user, const json& spec) {
    auto list = [&](const char* key) -> const json* {
        auto it = spec.find(key);
        if (it == spec.end() || it->is_null()) return nullptr;
        if (!it->is_array()) throw ApiError(400, std::string("user.") + key + " must be a list");
        return &*it;
    };
    if (const json* plays = list("recently_played")) {
        user.played.clear();
        for (const auto& play : *plays) {
            if (!play.is_object() || !play.contains("uri") || !play["uri"].is_string() ||
                !play.contains("played_at_ms") || !play["played_at_ms"].is_number_integer())
                throw ApiError(400, "user.recently_played entries are {\"uri\",\"played_at_ms\"}");
            const std::string uri = play["uri"].get<std::string>();
            if (!uri.starts_with("spotify:track:"))
                throw ApiError(400, "user.recently_played holds tracks only: " + uri);
            world.ensure_item(uri);
            user.played.push_back(Play{uri, play["played_at_ms"].get<int64_t>()});
        }
    }
    if (const json* tracks = list("top_tracks")) {
        user.top_tracks.clear();
        for (const auto& uri : *tracks) {
            if (!uri.is_string() || !uri.get<std::string>().starts_with("spotify:track:"))
                throw ApiError(400, "user.top_tracks holds track uris");
            user.top_tracks.push_back(world.ensure_item(uri.get<std::string>()).uri);
        }
    }
    if (const json* artists = list("top_artists")) {
        user.top_artists.clear();
        for (const auto& id : *artists) {
            if (!id.is_string() || id.get<std::string>().empty())
                throw ApiError(400, "user.top_artists holds artist ids");
            user.top_artists.push_back(id.get<std::string>());
        }
    }
}

void ListeningApi::register_routes(Router& router) {
    router.add("GET", "/v1/me/player/recently-played", [this](Call& c) { recently_played(c); });
    router.add("GET", "/v1/me/top/tracks", [this](Call& c) { top(c, true); });
    router.add("GET", "/v1/me/top/artists", [this](Call& c) { top(c, false); });
}

void ListeningApi::recently_played(Call& call) {
    std::lock_guard lock(world_.mutex());
    User& user = require_scope(world_, call, "user-read-recently-played");
    int64_t limit = query_int(call, "limit", 20, 1, 50);
    auto after = call.param("after");
    auto before = call.param("before");
    if (after && before) throw ApiError(400, "Only one of after or before may be specified");
    int64_t after_ms = query_int(call, "after", -1, 0, INT64_MAX);
    int64_t before_ms = query_int(call, "before", INT64_MAX, 0, INT64_MAX);
    settle(world_, user, world_.now_ms());  // an item that just ended is history now
    std::vector<const Play*> page;
    bool more = false;
    for (const Play& play : user.played) {  // newest first
        if (play.played_at_ms <= after_ms || play.played_at_ms >= before_ms) continue;
        if (static_cast<int64_t>(page.size()) == limit) {
            more = true;
            break;
        }
        page.push_back(&play);
    }
    if (after) {
        // `after` pages towards the present: the plays just after the cursor, newest first.
        std::vector<const Play*> newer;
        for (auto it = user.played.rbegin(); it != user.played.rend(); ++it) {
            if (it->played_at_ms <= after_ms) continue;
            if (static_cast<int64_t>(newer.size()) == limit) break;
            newer.insert(newer.begin(), &*it);
        }
        page = newer;
        more = false;
    }
    json items = json::array();
    for (const Play* play : page) {
        items.push_back({{"track", item_json(world_, world_.ensure_item(play->uri), call.base_url)},
                         {"played_at", iso_time(play->played_at_ms)},
                         {"context", nullptr}});
    }
    std::string href =
        call.base_url + "/v1/me/player/recently-played?limit=" + std::to_string(limit);
    json cursors = nullptr;
    if (!page.empty()) {
        cursors = {{"after", std::to_string(page.front()->played_at_ms)},
                   {"before", std::to_string(page.back()->played_at_ms)}};
    }
    send_json(call.res, 200,
              {{"href", href + (before  ? "&before=" + *before
                                : after ? "&after=" + *after
                                        : "")},
               {"limit", limit},
               {"next", more ? json(href + "&before=" + std::to_string(page.back()->played_at_ms))
                             : json(nullptr)},
               {"cursors", cursors},
               {"total", static_cast<int64_t>(user.played.size())},
               {"items", items}});
}

void ListeningApi::top(Call& call, bool tracks) {
    std::lock_guard lock(world_.mutex());
    User& user = require_scope(world_, call, "user-top-read");
    std::string range = call.param("time_range").value_or("medium_term");
    if (range != "short_term" && range != "medium_term" && range != "long_term")
        throw ApiError(400, "Invalid time range");
    int64_t limit = query_int(call, "limit", 20, 1, 50);
    int64_t offset = query_int(call, "offset", 0, 0, 100000);
    json all = json::array();
    if (tracks) {
        for (const auto& uri : top_track_uris(user))
            all.push_back(item_json(world_, world_.ensure_item(uri), call.base_url));
    } else {
        for (const auto& artist : top_artists(world_, user))
            all.push_back(full_artist_json(artist, call.base_url));
    }
    auto total = static_cast<int64_t>(all.size());
    json items = json::array();
    for (int64_t i = offset; i < std::min(total, offset + limit); ++i)
        items.push_back(all[static_cast<size_t>(i)]);
    auto page_url = [&](int64_t page_offset) {
        return call.base_url + "/v1/me/top/" + (tracks ? "tracks" : "artists") +
               "?time_range=" + range + "&offset=" + std::to_string(page_offset) +
               "&limit=" + std::to_string(limit);
    };
    send_json(call.res, 200, paging_json(page_url, items, limit, offset, total));
}

}  // namespace fake_spotify
