// Search results in Spotify's JSON (spotify/SpotifyJson.h): one compact entry per result.
#include "spotify/SpotifyJson.h"

#include "core/JsonFields.h"
#include "spotify/JsonReading.h"

namespace s2m {

using namespace json_reading;

SearchEntry json_reading::read_search_entry(SearchType type, const Json& item,
                                            const std::string& path) {
    SearchEntry entry;
    entry.type = type;
    entry.uri = opt_string(item, "uri", path).value_or("");
    entry.name = opt_string(item, "name", path).value_or("");
    if (entry.uri.empty()) throw FieldError(path + ".uri: missing");
    if (type == SearchType::Track || type == SearchType::Album)
        entry.artists = names_in(item, "artists", path);
    if (type == SearchType::Audiobook) entry.artists = names_in(item, "authors", path);
    if (type == SearchType::Show || type == SearchType::Audiobook)
        entry.publisher = opt_string(item, "publisher", path);
    if (const Json* owner =
            type == SearchType::Playlist ? opt_object(item, "owner", path) : nullptr)
        entry.owner = opt_string(*owner, "display_name", path + ".owner");
    return entry;
}

Result<SearchResults> parse_search_results(std::string_view body,
                                           const std::vector<SearchType>& types) {
    return map_body<SearchResults>(body, [&](const Json& root) {
        SearchResults results;
        for (SearchType type : types) {
            std::vector<SearchEntry> entries;
            const Json* page = opt_object(root, plural(type), "");
            const Json* items = page ? opt_array(*page, "items", plural(type)) : nullptr;
            for (size_t i = 0; items && i < items->size(); ++i) {
                // Spotify lists null for results it cannot show (often among playlists).
                if ((*items)[i].is_null()) continue;
                std::string path = std::string(plural(type)) + ".items[" + std::to_string(i) + "]";
                entries.push_back(read_search_entry(type, (*items)[i], path));
            }
            results.lists.emplace_back(type, std::move(entries));
        }
        return results;
    });
}

}  // namespace s2m
