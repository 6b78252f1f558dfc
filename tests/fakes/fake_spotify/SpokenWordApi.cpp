#include "SpokenWordApi.h"

#include <algorithm>
#include <cctype>
#include <mutex>

#include "ScopeCheck.h"
#include "SpokenWord.h"
#include "SpotifyJson.h"
#include "WebApi.h"

namespace fake_spotify {

namespace {

// The reference's QueryLimit (1–50, default 20) and QueryOffset (default 0).
struct Page {
    int64_t offset = 0;
    int64_t limit = 20;
};

Page page_of(const Call& call) {
    Page page;
    auto read = [&](const char* key, int64_t& out, int64_t min, int64_t max) {
        auto text = call.param(key);
        if (!text) return;
        auto value = parse_int(*text);
        if (!value || *value < min || *value > max)
            throw ApiError(400, std::string("Invalid ") + key);
        out = *value;
    };
    read("limit", page.limit, 1, 50);
    read("offset", page.offset, 0, 100000);
    return page;
}

// The path's id, checked as Spotify checks it (base62) before anything is looked up.
std::string id_of(const Call& call) {
    const std::string& id = call.group(0);
    bool base62 = !id.empty() && std::all_of(id.begin(), id.end(),
                                             [](unsigned char c) { return std::isalnum(c) != 0; });
    if (!base62) throw ApiError(400, "Invalid base62 id");
    return id;
}

[[noreturn]] void not_found() {
    throw ApiError(404, "Resource not found");
}

// `body`, or 404 when there was nothing to render.
void send_found(Call& call, const std::optional<json>& body) {
    if (!body) not_found();
    send_json(call.res, 200, *body);
}

// One page of `items` rendered by `render`.
template <typename Render>
json page_json(const Call& call, const std::string& path, const std::vector<const Item*>& items,
               Render render) {
    Page page = page_of(call);
    json rendered = json::array();
    for (auto i = static_cast<size_t>(page.offset);
         i < items.size() && rendered.size() < static_cast<size_t>(page.limit); ++i) {
        rendered.push_back(render(*items[i]));
    }
    return paging_json(call.base_url, path, rendered, page.offset, page.limit, items.size());
}

}  // namespace

void SpokenWordApi::register_routes(Router& router) {
    router.add("GET", "/v1/shows/([^/]+)", [this](Call& c) { show(c); });
    router.add("GET", "/v1/shows/([^/]+)/episodes", [this](Call& c) { contents(c, false); });
    router.add("GET", "/v1/episodes/([^/]+)", [this](Call& c) { episode(c); });
    router.add("GET", "/v1/me/episodes", [this](Call& c) { saved_episodes(c); });
    router.add("GET", "/v1/audiobooks/([^/]+)", [this](Call& c) { audiobook(c); });
    router.add("GET", "/v1/audiobooks/([^/]+)/chapters", [this](Call& c) { contents(c, true); });
    router.add("GET", "/v1/chapters/([^/]+)", [this](Call& c) { chapter(c); });
}

void SpokenWordApi::show(Call& call) {
    std::lock_guard lock(world_.mutex());
    require_user(world_, call);
    send_found(call, show_json(world_, id_of(call), call.base_url));
}

// get-a-shows-episodes and get-audiobook-chapters: one page of a show's episodes or an
// audiobook's chapters.
void SpokenWordApi::contents(Call& call, bool chapters) {
    std::lock_guard lock(world_.mutex());
    require_user(world_, call);
    std::string id = id_of(call);
    auto items = episodes_of(world_, id, chapters);
    if (items.empty()) not_found();
    std::string path =
        chapters ? "/v1/audiobooks/" + id + "/chapters" : "/v1/shows/" + id + "/episodes";
    send_json(call.res, 200, page_json(call, path, items, [&](const Item& item) {
                  return chapters ? simplified_chapter_json(item, call.base_url)
                                  : simplified_episode_json(world_, item, call.base_url);
              }));
}

void SpokenWordApi::episode(Call& call) {
    std::lock_guard lock(world_.mutex());
    require_user(world_, call);
    const Item* found = world_.item("spotify:episode:" + id_of(call));
    if (!found) not_found();
    send_json(call.res, 200, item_json(world_, *found, call.base_url));
}

// PagingSavedEpisodeObject: {added_at, episode} entries, newest first.
void SpokenWordApi::saved_episodes(Call& call) {
    std::lock_guard lock(world_.mutex());
    User& user = require_scope(world_, call, "user-library-read");
    std::vector<const Item*> saved;
    for (const auto& uri : user.saved_episodes) saved.push_back(&world_.ensure_item(uri));
    send_json(call.res, 200, page_json(call, "/v1/me/episodes", saved, [&](const Item& episode) {
                  return json{{"added_at", "2024-05-17T12:00:00Z"},
                              {"episode", item_json(world_, episode, call.base_url)}};
              }));
}

void SpokenWordApi::audiobook(Call& call) {
    std::lock_guard lock(world_.mutex());
    require_user(world_, call);
    send_found(call, audiobook_json(world_, id_of(call), call.base_url));
}

void SpokenWordApi::chapter(Call& call) {
    std::lock_guard lock(world_.mutex());
    require_user(world_, call);
    const Item* found = world_.item("spotify:episode:" + id_of(call));
    if (!found || !found->chapter) not_found();
    send_json(call.res, 200, chapter_json(world_, *found, call.base_url));
}

}  // namespace fake_spotify
