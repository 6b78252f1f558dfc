// Searching Spotify's catalogue (docs/mqtt.md#search, docs/mqtt-commands.md#search): the types one
// can search for, what a search asks and brings back, the bridge request's parser and the rule
// that picks what to play from the results. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/Result.h"

namespace s2m {

enum class SearchType { Track, Artist, Album, Playlist, Show, Episode, Audiobook };

// All seven, in the order responses list them.
const std::vector<SearchType>& search_types();
const char* to_string(SearchType type);  // "track"
const char* plural(SearchType type);     // "tracks": the key in Spotify's answer and in ours
// "track" → Track; exactly the singular words, any case; nullopt otherwise.
std::optional<SearchType> search_type_of(std::string_view word);
// "track, album, artist, playlist, show, episode, audiobook" for messages.
std::string search_type_list();

// At most this many results per type (Spotify's limit for development-mode apps since 2026) and
// the furthest offset Spotify pages to.
inline constexpr int kMaxSearchLimit = 10;
inline constexpr int kMaxSearchOffset = 1000;
inline constexpr size_t kMaxSearchQueryBytes = 256;

// One Spotify search call.
struct SearchQuery {
    std::string text;
    std::vector<SearchType> types;
    int limit = kMaxSearchLimit;
    int offset = 0;

    bool operator==(const SearchQuery&) const = default;
};

// One result, compact: what a person or an automation needs to pick and play it.
struct SearchEntry {
    SearchType type = SearchType::Track;
    std::string uri;
    std::string name;
    std::vector<std::string> artists;      // tracks, albums; an audiobook's authors
    std::optional<std::string> owner;      // playlists: the owner's display name
    std::optional<std::string> publisher;  // shows, audiobooks

    bool operator==(const SearchEntry&) const = default;
};

// The results per type, in Spotify's order; a type not asked for is absent.
struct SearchResults {
    std::vector<std::pair<SearchType, std::vector<SearchEntry>>> lists;

    const std::vector<SearchEntry>* of(SearchType type) const;
    bool operator==(const SearchResults&) const = default;
};

nlohmann::json entry_json(const SearchEntry& entry);
// {"tracks":[…],"artists":[…],…}: the types asked for, each a list of entry_json.
nlohmann::json results_json(const SearchResults& results);

// bridge/request/search: {"account","query","types":[…],"limit","offset","transaction"}.
struct SearchRequest {
    std::string account;
    SearchQuery query;
};
// The request, or a Refused error (reason INVALID_PAYLOAD) with a sentence naming the field.
// Defaults: all seven types, limit 10, offset 0. types may also be one string ("track" or
// "track,album").
Result<SearchRequest> parse_search_request(const nlohmann::json& request);

// ---- Play by name (the play key's search, and set/search) ----

// What a person asked to play: the text, and the type when they named one.
struct NameSearch {
    std::string text;
    std::optional<SearchType> type;

    bool operator==(const NameSearch&) const = default;
};

// set/search's text: "artist:Daft Punk" → {"Daft Punk", Artist}; a prefix other than the seven
// types (e.g. Spotify's own "year:") stays part of the text. Refused when nothing is left to
// search for or the text is longer than kMaxSearchQueryBytes.
Result<NameSearch> parse_name_search(std::string_view text);

// The one call play-by-name makes, 10 results per type: with a type, of that type (10, not 1:
// Spotify lists some results as null, often the first playlists); without, artists, playlists,
// albums, shows and tracks, so an exact name has a chance to be among them.
SearchQuery name_search_query(const NameSearch& search);

// What to play from the results: with a type, its first result; without, an artist, playlist,
// album or show (in that order) whose name equals the text ignoring case, then one whose name
// equals it ignoring case and accents; else the first track; else the first result of those four
// types. nullopt when Spotify found nothing of that.
std::optional<SearchEntry> choose_match(const NameSearch& search, const SearchResults& results);

}  // namespace s2m
