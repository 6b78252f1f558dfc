#include "SearchApi.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "SearchCatalogue.h"
#include "SpotifyJson.h"
#include "WebApi.h"  // require_user
#include "core/TextFold.h"

namespace fake_spotify {

namespace {

constexpr int64_t kMaxLimit = 10;
constexpr int64_t kMaxOffset = 1000;
const char* const kTypes[] = {"album", "artist",  "playlist", "track",
                              "show",  "episode", "audiobook"};

// One candidate: its JSON (null for a removed playlist), its name and the other text it is found
// by.
struct Hit {
    json object;
    std::string name;
    std::string also;
};

std::vector<std::string> words_of(const std::string& folded) {
    std::vector<std::string> words;
    for (const auto& word : split(folded, ' '))
        if (!word.empty()) words.push_back(word);
    return words;
}

// 0: the name is the query; 1: it starts with it; 2: every word is somewhere; -1: no match.
int rank(const Hit& hit, const std::string& query, const std::vector<std::string>& words) {
    std::string name = s2m::fold_case_and_accents(hit.name);
    std::string text = name + " " + s2m::fold_case_and_accents(hit.also);
    for (const auto& word : words)
        if (text.find(word) == std::string::npos) return -1;
    if (name == query) return 0;
    return name.starts_with(query) ? 1 : 2;
}

json audiobook_json(const Audiobook& book, const std::string& base) {
    json authors = json::array();
    for (const auto& name : book.authors) authors.push_back({{"name", name}});
    json narrators = json::array();
    for (const auto& name : book.narrators) narrators.push_back({{"name", name}});
    return {{"authors", authors},
            {"available_markets", json::array({"GB", "US"})},
            {"copyrights", json::array()},
            {"description", "An audiobook that only exists in tests."},
            {"html_description", "<p>An audiobook that only exists in tests.</p>"},
            {"edition", "Unabridged"},
            {"explicit", false},
            {"external_urls", external_urls("audiobook", book.id)},
            {"href", base + "/v1/audiobooks/" + book.id},
            {"id", book.id},
            {"images", image_list("/image/" + book.id, base)},
            {"languages", json::array({"English"})},
            {"media_type", "audio"},
            {"name", book.name},
            {"narrators", narrators},
            {"publisher", book.publisher},
            {"type", "audiobook"},
            {"uri", "spotify:audiobook:" + book.id},
            {"total_chapters", book.total_chapters}};
}

std::string joined_artists(const Item& item) {
    std::string names;
    for (const auto& artist : item.artists) names += artist.name + " ";
    return names;
}

// Every candidate of one type, in catalogue order.
std::vector<Hit> candidates(World& world, const std::string& type, const std::string& base) {
    std::vector<Hit> hits;
    std::map<std::string, bool> seen;  // album, artist and show ids already listed
    for (const auto& [uri, item] : world.catalogue()) {
        if (item.chapter) continue;  // a chapter is found through its audiobook
        if (type == "track" && !item.episode) {
            hits.push_back(
                {item_json(world, item, base), item.name, joined_artists(item) + item.album_name});
        } else if (type == "episode" && item.episode) {
            json episode = item_json(world, item, base);
            episode.erase("show");  // SimplifiedEpisodeObject
            hits.push_back({episode, item.name, item.album_name});
        } else if ((type == "album" && !item.episode) || (type == "show" && item.episode)) {
            if (seen[item.album_id]) continue;
            seen[item.album_id] = true;
            json object = type == "album" ? item_json(world, item, base)["album"]
                                          : item_json(world, item, base)["show"];
            hits.push_back(
                {object, item.album_name, type == "album" ? joined_artists(item) : item.publisher});
        } else if (type == "artist") {
            for (const auto& artist : item.artists) {
                if (seen[artist.id]) continue;
                seen[artist.id] = true;
                json object = item_json(world, item, base)["artists"][0];
                for (const auto& listed : item_json(world, item, base)["artists"])
                    if (listed["id"] == artist.id) object = listed;
                object["followers"] = {{"href", nullptr}, {"total", 1000}};
                object["genres"] = json::array();
                object["images"] = image_list("/image/" + artist.id, base);
                object["popularity"] = 50;
                hits.push_back({object, artist.name, ""});
            }
        }
    }
    if (type == "playlist") {
        for (const auto& [uri, playlist] : world.playlists()) {
            json object = playlist.owner_id == kRemovedOwner
                              ? json(nullptr)
                              : simplified_playlist_json(playlist, base);
            hits.push_back({object, playlist.name, playlist.owner_name});
        }
    }
    if (type == "audiobook") {
        for (const Audiobook& book : search_audiobooks()) {
            std::string authors;
            for (const auto& name : book.authors) authors += name + " ";
            hits.push_back({audiobook_json(book, base), book.name, authors + book.publisher});
        }
    }
    return hits;
}

}  // namespace

SearchApi::SearchApi(World& world) : world_(world) {
    std::lock_guard lock(world_.mutex());
    add_search_catalogue(world_);
}

void SearchApi::register_routes(Router& router) {
    router.add("GET", "/v1/search", [this](Call& c) { search(c); });
}

void SearchApi::search(Call& call) {
    std::lock_guard lock(world_.mutex());
    require_user(world_, call);
    std::string q = call.param("q").value_or("");
    if (q.empty()) throw ApiError(400, "No search query");
    auto type_text = call.param("type");
    if (!type_text || type_text->empty()) throw ApiError(400, "Missing parameter type");
    std::vector<std::string> types = split(*type_text, ',');
    for (const auto& type : types) {
        if (std::find(std::begin(kTypes), std::end(kTypes), type) == std::end(kTypes))
            throw ApiError(400, "Bad search type field " + type);
    }
    auto number = [&](const char* key, int64_t fallback, int64_t low, int64_t high) {
        auto text = call.param(key);
        if (!text) return fallback;
        auto value = parse_int(*text);
        if (!value || *value < low || *value > high)
            throw ApiError(400, std::string("Invalid ") + key);
        return *value;
    };
    int64_t limit = number("limit", 5, 1, kMaxLimit);
    int64_t offset = number("offset", 0, 0, kMaxOffset);
    std::string query = s2m::fold_case_and_accents(q);
    std::vector<std::string> words = words_of(query);
    json answer = json::object();
    for (const auto& type : types) {
        std::vector<std::pair<int, const Hit*>> ranked;
        std::vector<Hit> hits = candidates(world_, type, call.base_url);
        for (const Hit& hit : hits)
            if (int r = rank(hit, query, words); r >= 0) ranked.emplace_back(r, &hit);
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        auto total = static_cast<int64_t>(ranked.size());
        json items = json::array();
        for (int64_t i = offset; i < std::min(total, offset + limit); ++i)
            items.push_back(ranked[static_cast<size_t>(i)].second->object);
        auto page_url = [&](int64_t at) {
            return call.base_url + "/v1/search?offset=" + std::to_string(at) +
                   "&limit=" + std::to_string(limit) + "&query=" + url_encode(q) + "&type=" + type;
        };
        answer[type + "s"] = paging_json(page_url, items, limit, offset, total);
    }
    send_json(call.res, 200, answer);
}

}  // namespace fake_spotify
