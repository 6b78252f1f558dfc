// The user's library in Spotify's JSON (spotify/SpotifyJson.h): pages of saved items
// (Paging<Saved…Object>) and the cursor pages of followed artists (CursorPagedArtists).
#include "spotify/SpotifyJson.h"

#include <algorithm>

#include "core/JsonFields.h"
#include "spotify/JsonReading.h"

namespace s2m {

using namespace json_reading;

namespace {

// The items of a page, each read by `read`; a null entry is skipped (the reference allows it).
template <typename Read>
std::vector<LibraryEntry> read_items(const Json& page, const std::string& path, Read read) {
    const Json* items = opt_array(page, "items", path);
    if (!items) throw FieldError((path.empty() ? "" : path + ".") + "items: missing");
    std::vector<LibraryEntry> entries;
    for (size_t i = 0; i < items->size(); ++i) {
        const Json& item = (*items)[i];
        if (item.is_null()) continue;
        std::string at = (path.empty() ? "" : path + ".") + "items[" + std::to_string(i) + "]";
        if (auto entry = read(item, at)) entries.push_back(std::move(*entry));
    }
    return entries;
}

int count_of(const Json& page, const std::string& path) {
    auto total = opt_int(page, "total", path).value_or(0);
    if (total < 0) throw FieldError((path.empty() ? "" : path + ".") + "total: negative");
    return static_cast<int>(std::min<int64_t>(total, 1'000'000'000));
}

}  // namespace

Result<LibraryPage> parse_saved_items(std::string_view body, LibraryType type) {
    return map_body<LibraryPage>(body, [type](const Json& root) {
        // {added_at, track|album|show|episode|audiobook}: the key is the entry's type.
        const SearchType entry = entry_type(type);
        const char* key = to_string(entry);
        LibraryPage page;
        page.items = read_items(root, "", [&](const Json& item, const std::string& at) {
            std::optional<LibraryEntry> listed;
            const Json* saved = opt_object(item, key, at);
            if (!saved) return listed;  // an item Spotify no longer offers
            listed = LibraryEntry{read_search_entry(entry, *saved, at + "." + key),
                                  opt_string(item, "added_at", at)};
            return listed;
        });
        page.total = count_of(root, "");
        page.offset = static_cast<int>(opt_int(root, "offset", "").value_or(0));
        return page;
    });
}

Result<FollowedArtistsPage> parse_followed_artists(std::string_view body) {
    return map_body<FollowedArtistsPage>(body, [](const Json& root) {
        const Json* artists = opt_object(root, "artists", "");
        if (!artists) throw FieldError("artists: missing");
        FollowedArtistsPage page;
        page.items = read_items(*artists, "artists", [](const Json& item, const std::string& at) {
            return std::optional<LibraryEntry>(
                LibraryEntry{read_search_entry(SearchType::Artist, item, at), std::nullopt});
        });
        page.total = count_of(*artists, "artists");
        // The cursor counts only while Spotify says another page follows.
        if (opt_string(*artists, "next", "artists")) {
            if (const Json* cursors = opt_object(*artists, "cursors", "artists"))
                page.after = opt_string(*cursors, "after", "artists.cursors");
        }
        return page;
    });
}

}  // namespace s2m
