// Search (core/Search.h): the bridge request's parser, set/search's prefixes and the choice rule
// of play by name (docs/mqtt-commands.md#search).
#include "core/Search.h"

#include <algorithm>
#include <array>

#include "core/Command.h"
#include "core/CommandValues.h"
#include "core/Encoding.h"
#include "core/TextFold.h"

namespace s2m {

using command_values::describe;
using command_values::invalid;
using command_values::quote;

namespace {

struct TypeNames {
    SearchType type;
    const char* singular;
    const char* plural;
};

constexpr std::array<TypeNames, 7> kTypeNames = {{
    {SearchType::Track, "track", "tracks"},
    {SearchType::Artist, "artist", "artists"},
    {SearchType::Album, "album", "albums"},
    {SearchType::Playlist, "playlist", "playlists"},
    {SearchType::Show, "show", "shows"},
    {SearchType::Episode, "episode", "episodes"},
    {SearchType::Audiobook, "audiobook", "audiobooks"},
}};

// The search text: trimmed, not empty, at most kMaxSearchQueryBytes.
Result<std::string> search_text(const std::string& name, std::string_view text) {
    std::string_view trimmed = trim(text);
    if (trimmed.empty()) return invalid(name + " is empty; say what to search for");
    if (trimmed.size() > kMaxSearchQueryBytes) {
        return invalid(name + " is too long: " + std::to_string(trimmed.size()) +
                       " bytes (at most " + std::to_string(kMaxSearchQueryBytes) + ")");
    }
    return std::string(trimmed);
}

Status read_types(const nlohmann::json& value, std::vector<SearchType>& out) {
    std::vector<std::string> words;
    if (value.is_string()) {
        for (std::string_view word : split(value.get_ref<const std::string&>(), ','))
            words.emplace_back(trim(word));
    } else if (value.is_array()) {
        for (const auto& word : value) {
            if (!word.is_string()) {
                return invalid("types must hold type names such as \"track\", got " +
                               describe(word));
            }
            words.push_back(word.get<std::string>());
        }
    } else {
        return invalid("types must be a list such as [\"track\",\"artist\"], got " +
                       describe(value));
    }
    if (words.empty()) return invalid("types is empty; name at least one of " + search_type_list());
    for (const std::string& word : words) {
        auto type = search_type_of(word);
        if (!type) {
            return invalid("unknown type " + quote(word) + " in types; the types are " +
                           search_type_list());
        }
        if (std::find(out.begin(), out.end(), *type) == out.end()) out.push_back(*type);
    }
    return ok_status();
}

Status read_number(const nlohmann::json& request, const char* key, int low, int high, int& out) {
    auto it = request.find(key);
    if (it == request.end()) return ok_status();
    auto n = command_values::whole_number(*it, low, high);
    if (!n) {
        return invalid(std::string(key) + " must be a whole number from " + std::to_string(low) +
                       " to " + std::to_string(high) + ", got " + describe(*it));
    }
    out = static_cast<int>(*n);
    return ok_status();
}

// The first entry of `list` whose name folds to `wanted`.
const SearchEntry* named(const std::vector<SearchEntry>* list, const std::string& wanted,
                         std::string (*folded)(std::string_view)) {
    if (!list) return nullptr;
    for (const SearchEntry& entry : *list)
        if (folded(entry.name) == wanted) return &entry;
    return nullptr;
}

}  // namespace

const std::vector<SearchType>& search_types() {
    static const std::vector<SearchType> types = [] {
        std::vector<SearchType> all;
        for (const auto& names : kTypeNames) all.push_back(names.type);
        return all;
    }();
    return types;
}

const char* to_string(SearchType type) {
    return kTypeNames[static_cast<size_t>(type)].singular;
}

const char* plural(SearchType type) {
    return kTypeNames[static_cast<size_t>(type)].plural;
}

std::optional<SearchType> search_type_of(std::string_view word) {
    std::string low = ascii_lowercase(word);
    for (const auto& names : kTypeNames)
        if (low == names.singular) return names.type;
    return std::nullopt;
}

std::string search_type_list() {
    std::string list;
    for (const auto& names : kTypeNames)
        list += (list.empty() ? "" : ", ") + std::string(names.singular);
    return list;
}

const std::vector<SearchEntry>* SearchResults::of(SearchType type) const {
    for (const auto& [listed, entries] : lists)
        if (listed == type) return &entries;
    return nullptr;
}

nlohmann::json entry_json(const SearchEntry& entry) {
    nlohmann::json out{{"uri", entry.uri}, {"name", entry.name}};
    bool authors = entry.type == SearchType::Audiobook;
    if (entry.type == SearchType::Track || entry.type == SearchType::Album || authors)
        out[authors ? "authors" : "artists"] = entry.artists;
    if (entry.type == SearchType::Playlist)
        out["owner"] = entry.owner ? nlohmann::json(*entry.owner) : nlohmann::json();
    if (entry.type == SearchType::Show || authors)
        out["publisher"] = entry.publisher ? nlohmann::json(*entry.publisher) : nlohmann::json();
    return out;
}

nlohmann::json results_json(const SearchResults& results) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [type, entries] : results.lists) {
        nlohmann::json list = nlohmann::json::array();
        for (const SearchEntry& entry : entries) list.push_back(entry_json(entry));
        out[plural(type)] = std::move(list);
    }
    return out;
}

Result<SearchRequest> parse_search_request(const nlohmann::json& request) {
    static const std::vector<std::string> keys = {"account", "query",  "types",
                                                  "limit",   "offset", "transaction"};
    for (const auto& [key, value] : request.items()) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            return CommandError(reason::kUnknownKey, "unknown key " + quote(key) +
                                                         "; search understands " +
                                                         command_values::join(keys, ", "));
        }
    }
    SearchRequest out;
    auto account = request.find("account");
    if (account == request.end() || !account->is_string() ||
        trim(account->get_ref<const std::string&>()).empty()) {
        return invalid(
            "account must name the account to search with, e.g. "
            "{\"account\":\"alice\",\"query\":\"Daft Punk\"}" +
            std::string(account == request.end() ? "" : ", got " + describe(*account)));
    }
    out.account = std::string(trim(account->get_ref<const std::string&>()));
    auto query = request.find("query");
    if (query == request.end() || !query->is_string()) {
        return invalid("query must be the text to search for, e.g. \"Daft Punk\"" +
                       std::string(query == request.end() ? "" : ", got " + describe(*query)));
    }
    auto text = search_text("query", query->get_ref<const std::string&>());
    if (!text) return text.error();
    out.query.text = std::move(text.value());
    if (auto it = request.find("types"); it != request.end()) {
        if (auto read = read_types(*it, out.query.types); !read) return read.error();
    } else {
        out.query.types = search_types();
    }
    if (auto read = read_number(request, "limit", 1, kMaxSearchLimit, out.query.limit); !read)
        return read.error();
    if (auto read = read_number(request, "offset", 0, kMaxSearchOffset, out.query.offset); !read)
        return read.error();
    return out;
}

Result<NameSearch> parse_name_search(std::string_view text) {
    NameSearch out;
    std::string_view rest = trim(text);
    if (size_t colon = rest.find(':'); colon != std::string_view::npos) {
        if (auto type = search_type_of(rest.substr(0, colon))) {
            out.type = type;
            rest = rest.substr(colon + 1);
        }
    }
    auto read = search_text("search", rest);
    if (!read) return read.error();
    out.text = std::move(read.value());
    return out;
}

SearchQuery name_search_query(const NameSearch& search) {
    if (search.type) return SearchQuery{search.text, {*search.type}, kMaxSearchLimit, 0};
    return SearchQuery{search.text,
                       {SearchType::Artist, SearchType::Playlist, SearchType::Album,
                        SearchType::Show, SearchType::Track},
                       kMaxSearchLimit,
                       0};
}

std::optional<SearchEntry> choose_match(const NameSearch& search, const SearchResults& results) {
    if (search.type) {
        const auto* list = results.of(*search.type);
        if (!list || list->empty()) return std::nullopt;
        return list->front();
    }
    // The types a name can stand for, in the order the rule prefers them.
    static const SearchType kByName[] = {SearchType::Artist, SearchType::Playlist,
                                         SearchType::Album, SearchType::Show};
    // Exactly as typed apart from case first, so "Café" picks the café over a "Cafe"; then
    // ignoring accents too, as a voice assistant writes "Beyonce" for "Beyoncé".
    for (auto folded : {&fold_case, &fold_case_and_accents}) {
        std::string wanted = folded(search.text);
        for (SearchType type : kByName)
            if (const SearchEntry* hit = named(results.of(type), wanted, folded)) return *hit;
    }
    if (const auto* tracks = results.of(SearchType::Track); tracks && !tracks->empty())
        return tracks->front();
    for (SearchType type : kByName)
        if (const auto* list = results.of(type); list && !list->empty()) return list->front();
    return std::nullopt;
}

}  // namespace s2m
