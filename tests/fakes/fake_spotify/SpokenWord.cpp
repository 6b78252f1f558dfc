#include "SpokenWord.h"

#include <algorithm>

#include "SpotifyJson.h"

namespace fake_spotify {

namespace {

const char* kSpokenWordReleaseDate = "2024-05-17";
const json kSpokenWordMarkets = json::array({"DE", "GB", "US"});

// The audiobook's fields, read from its first chapter (the catalogue keeps no separate record).
json simplified_audiobook_json(World& world, const Item& chapter, const std::string& base) {
    json authors = json::array();
    for (const auto& author : chapter.artists) authors.push_back({{"name", author.name}});
    const std::string& id = chapter.album_id;
    return {{"authors", authors},
            {"available_markets", kSpokenWordMarkets},
            {"copyrights", json::array({{{"text", "(C) Fake Audio House"}, {"type", "C"}}})},
            {"description", "An audiobook that only exists in tests."},
            {"html_description", "<p>An audiobook that only exists in tests.</p>"},
            {"edition", "Unabridged"},
            {"explicit", false},
            {"external_urls", external_urls("audiobook", id)},
            {"href", base + "/v1/audiobooks/" + id},
            {"id", id},
            {"images", image_list(chapter.image_url, base)},
            {"languages", json::array({"en"})},
            {"media_type", "audio"},
            {"name", chapter.album_name},
            {"narrators", json::array({{{"name", "Fake Narrator"}}})},
            {"publisher", chapter.publisher},
            {"type", "audiobook"},
            {"uri", "spotify:audiobook:" + id},
            {"total_chapters", episodes_of(world, id, true).size()}};
}

}  // namespace

void add_audiobook_catalogue(World& world) {
    static const char* titles[] = {"Opening Credits", "Chapter 1: The Fake Beginning",
                                   "Chapter 2: Mocks and Stubs"};
    int number = 0;
    for (const char* title : titles) {
        Item chapter;
        chapter.id = "fakeChapter" + std::to_string(++number);
        chapter.uri = "spotify:episode:" + chapter.id;  // the reference's chapter URIs
        chapter.name = title;
        chapter.episode = true;
        chapter.chapter = true;
        chapter.artists = {{"fakeAuthor1", "Ada Author"}};
        chapter.album_id = "fakeBook1";
        chapter.album_name = "The Fake Novel";
        chapter.publisher = "Fake Audio House";
        chapter.image_url = "/image/fakeBook1";
        chapter.duration_ms = number == 1 ? 60000 : 1500000;
        chapter.track_number = number;
        world.put_item(chapter);
    }
}

json paging_json(const std::string& base, const std::string& path, json items, int64_t offset,
                 int64_t limit, size_t total) {
    auto page = [&](int64_t at) {
        return base + path + "?offset=" + std::to_string(at) + "&limit=" + std::to_string(limit);
    };
    auto count = static_cast<int64_t>(total);
    return {{"href", page(offset)},
            {"items", std::move(items)},
            {"limit", limit},
            {"next", offset + limit < count ? json(page(offset + limit)) : json(nullptr)},
            {"offset", offset},
            {"previous", offset > 0 ? json(page(std::max<int64_t>(0, offset - limit))) : json()},
            {"total", total}};
}

std::vector<const Item*> episodes_of(const World& world, const std::string& parent_id,
                                     bool chapters) {
    std::vector<const Item*> found;
    for (const Item* item : world.album_items(parent_id)) {
        if (item->episode && item->chapter == chapters) found.push_back(item);
    }
    return found;
}

json simplified_episode_json(World& world, const Item& episode, const std::string& base) {
    json out = item_json(world, episode, base);
    out.erase("show");
    return out;
}

std::optional<json> show_json(World& world, const std::string& show_id, const std::string& base) {
    // Spotify keeps audiobooks as shows too: a show id may name one, with its chapters.
    auto episodes = episodes_of(world, show_id, false);
    if (episodes.empty()) episodes = episodes_of(world, show_id, true);
    if (episodes.empty()) return std::nullopt;
    json show = item_json(world, *episodes.front(), base)["show"];
    json items = json::array();
    for (const Item* episode : episodes)
        items.push_back(simplified_episode_json(world, *episode, base));
    show["episodes"] =
        paging_json(base, "/v1/shows/" + show_id + "/episodes", items, 0, 50, episodes.size());
    return show;
}

json simplified_chapter_json(const Item& chapter, const std::string& base) {
    return {{"audio_preview_url", nullptr},
            {"available_markets", kSpokenWordMarkets},
            {"chapter_number", chapter.track_number},
            {"description", "A chapter that only exists in tests."},
            {"html_description", "<p>A chapter that only exists in tests.</p>"},
            {"duration_ms", chapter.duration_ms},
            {"explicit", false},
            {"external_urls", external_urls("episode", chapter.id)},
            {"href", base + "/v1/episodes/" + chapter.id},
            {"id", chapter.id},
            {"images", image_list(chapter.image_url, base)},
            {"is_playable", true},
            {"languages", json::array({"en"})},
            {"name", chapter.name},
            {"release_date", kSpokenWordReleaseDate},
            {"release_date_precision", "day"},
            {"resume_point", {{"fully_played", false}, {"resume_position_ms", 0}}},
            {"type", "episode"},
            {"uri", chapter.uri}};
}

json chapter_json(World& world, const Item& chapter, const std::string& base) {
    json out = simplified_chapter_json(chapter, base);
    out["audiobook"] = simplified_audiobook_json(world, chapter, base);
    return out;
}

std::optional<json> audiobook_json(World& world, const std::string& audiobook_id,
                                   const std::string& base) {
    auto chapters = episodes_of(world, audiobook_id, true);
    if (chapters.empty()) return std::nullopt;
    json book = simplified_audiobook_json(world, *chapters.front(), base);
    json items = json::array();
    for (const Item* chapter : chapters) items.push_back(simplified_chapter_json(*chapter, base));
    book["chapters"] = paging_json(base, "/v1/audiobooks/" + audiobook_id + "/chapters", items, 0,
                                   50, chapters.size());
    return book;
}

}  // namespace fake_spotify
