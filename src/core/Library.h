// The user's library (docs/mqtt.md#library): bridge/request/library lists one kind of what the
// user saved (tracks, albums, shows, episodes, audiobooks) or the artists they follow, a page at a
// time. The request's parser, the page and its payload. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/Result.h"
#include "core/Scopes.h"
#include "core/Search.h"

namespace s2m {

enum class LibraryType { Tracks, Albums, Shows, Episodes, Audiobooks, Artists };

const char* to_string(LibraryType type);  // "tracks", as the request names it
// "tracks" → Tracks; exactly those words, any case.
std::optional<LibraryType> library_type_of(std::string_view word);
// "tracks, albums, shows, episodes, audiobooks, artists" for messages.
std::string library_type_list();
// What one entry of the list is (the compact entries of the search request).
SearchType entry_type(LibraryType type);
// What the account's link must allow: user-library-read for the saved lists, user-follow-read
// for the followed artists (core/Scopes.h).
Feature library_feature(LibraryType type);

// The reference's page size (1–50, default 20).
inline constexpr int kMaxLibraryLimit = 50;
inline constexpr int kDefaultLibraryLimit = 20;
inline constexpr int kMaxLibraryOffset = 100000;
// Followed artists are paged by cursor (`after`, the last artist of a page), not by offset: the
// bridge walks the pages from the first, 50 at a time, up to the offset asked for. This bounds
// that walk to 11 calls.
inline constexpr int kMaxArtistsOffset = 500;
inline constexpr int kArtistsPageSize = 50;

struct LibraryQuery {
    LibraryType type = LibraryType::Tracks;
    int offset = 0;
    int limit = kDefaultLibraryLimit;

    bool operator==(const LibraryQuery&) const = default;
};

struct LibraryEntry {
    SearchEntry entry;
    std::optional<std::string> added_at;  // when it was saved (not for followed artists)

    bool operator==(const LibraryEntry&) const = default;
};

struct LibraryPage {
    std::vector<LibraryEntry> items;
    int total = 0;
    int offset = 0;

    bool operator==(const LibraryPage&) const = default;
};

// {"items":[{"uri","name",…,"added_at"}…],"total","offset"}; the entries as the search request
// has them (artists / authors / publisher where they apply).
nlohmann::json library_page_json(const LibraryPage& page);

// bridge/request/library: {"account","type","offset","limit","transaction"}.
struct LibraryRequest {
    std::string account;
    LibraryQuery query;
};
// The request, or a Refused error (INVALID_PAYLOAD, UNKNOWN_KEY) with one sentence naming the
// field. Defaults: offset 0, limit 20; type is required.
Result<LibraryRequest> parse_library_request(const nlohmann::json& request);

}  // namespace s2m
