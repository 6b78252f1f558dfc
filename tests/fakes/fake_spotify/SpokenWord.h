// Podcasts and audiobooks in the simulated Spotify: the default audiobook, and the Web API's
// ShowObject, AudiobookObject, ChapterObject and paging objects (shapes from Spotify's Web API
// reference). In the reference a chapter is an episode (type "episode", a spotify:episode: URI)
// that belongs to an audiobook; the catalogue stores it as an Item with `chapter` set, whose
// album_* name the audiobook and whose artists are its authors. Callers hold World::mutex().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "World.h"

namespace fake_spotify {

using nlohmann::json;

// "The Fake Novel" (spotify:audiobook:fakeBook1) by Ada Author, chapters fakeChapter1..3.
void add_audiobook_catalogue(World& world);

// One page of a list as the reference's paging objects: href, items, limit, next, offset,
// previous, total. `path` is the list's address below base ("/v1/shows/x/episodes").
json paging_json(const std::string& base, const std::string& path, json items, int64_t offset,
                 int64_t limit, size_t total);

// The episodes of a show or the chapters of an audiobook, in order (empty when unknown).
std::vector<const Item*> episodes_of(const World& world, const std::string& parent_id,
                                     bool chapters);

json simplified_episode_json(World& world, const Item& episode, const std::string& base);
// ShowObject (with its first page of episodes); nullopt for an unknown show.
std::optional<json> show_json(World& world, const std::string& show_id, const std::string& base);
json simplified_chapter_json(const Item& chapter, const std::string& base);
json chapter_json(World& world, const Item& chapter, const std::string& base);
// AudiobookObject (with its first page of chapters); nullopt for an unknown audiobook.
std::optional<json> audiobook_json(World& world, const std::string& audiobook_id,
                                   const std::string& base);

}  // namespace fake_spotify
