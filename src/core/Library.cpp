// The library request (core/Library.h, docs/mqtt.md#library).
#include "core/Library.h"

#include <algorithm>
#include <array>

#include "core/Command.h"
#include "core/CommandValues.h"
#include "core/Encoding.h"

namespace s2m {

using command_values::describe;
using command_values::invalid;
using command_values::quote;

namespace {

struct TypeRow {
    LibraryType type;
    const char* name;
    SearchType entry;
};

constexpr std::array<TypeRow, 6> kTypes = {{
    {LibraryType::Tracks, "tracks", SearchType::Track},
    {LibraryType::Albums, "albums", SearchType::Album},
    {LibraryType::Shows, "shows", SearchType::Show},
    {LibraryType::Episodes, "episodes", SearchType::Episode},
    {LibraryType::Audiobooks, "audiobooks", SearchType::Audiobook},
    {LibraryType::Artists, "artists", SearchType::Artist},
}};

Status read_number(const nlohmann::json& request, const char* key, int low, int high, int& out,
                   const std::string& why = "") {
    auto it = request.find(key);
    if (it == request.end()) return ok_status();
    auto n = command_values::whole_number(*it, low, high);
    if (!n) {
        return invalid(std::string(key) + " must be a whole number from " + std::to_string(low) +
                       " to " + std::to_string(high) + why + ", got " + describe(*it));
    }
    out = static_cast<int>(*n);
    return ok_status();
}

}  // namespace

const char* to_string(LibraryType type) {
    return kTypes[static_cast<size_t>(type)].name;
}

std::optional<LibraryType> library_type_of(std::string_view word) {
    std::string low = ascii_lowercase(word);
    for (const TypeRow& row : kTypes)
        if (low == row.name) return row.type;
    return std::nullopt;
}

std::string library_type_list() {
    std::string list;
    for (const TypeRow& row : kTypes) list += (list.empty() ? "" : ", ") + std::string(row.name);
    return list;
}

SearchType entry_type(LibraryType type) {
    return kTypes[static_cast<size_t>(type)].entry;
}

Feature library_feature(LibraryType type) {
    return type == LibraryType::Artists ? Feature::LibraryArtists : Feature::Library;
}

nlohmann::json library_page_json(const LibraryPage& page) {
    nlohmann::json items = nlohmann::json::array();
    for (const LibraryEntry& listed : page.items) {
        nlohmann::json entry = entry_json(listed.entry);
        if (listed.added_at) entry["added_at"] = *listed.added_at;
        items.push_back(std::move(entry));
    }
    return {{"items", std::move(items)}, {"total", page.total}, {"offset", page.offset}};
}

Result<LibraryRequest> parse_library_request(const nlohmann::json& request) {
    static const std::vector<std::string> keys = {"account", "type", "offset", "limit",
                                                  "transaction"};
    for (const auto& [key, value] : request.items()) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            return CommandError(reason::kUnknownKey, "unknown key " + quote(key) +
                                                         "; library understands " +
                                                         command_values::join(keys, ", "));
        }
    }
    LibraryRequest out;
    auto account = request.find("account");
    if (account == request.end() || !account->is_string() ||
        trim(account->get_ref<const std::string&>()).empty()) {
        return invalid(
            "account must name the account whose library to list, e.g. "
            "{\"account\":\"alice\",\"type\":\"tracks\"}" +
            std::string(account == request.end() ? "" : ", got " + describe(*account)));
    }
    out.account = std::string(trim(account->get_ref<const std::string&>()));
    auto type = request.find("type");
    std::optional<LibraryType> parsed;
    if (type != request.end() && type->is_string())
        parsed = library_type_of(trim(type->get_ref<const std::string&>()));
    if (!parsed) {
        return invalid("type must be one of " + library_type_list() +
                       (type == request.end() ? std::string() : ", got " + describe(*type)));
    }
    out.query.type = *parsed;
    if (auto read = read_number(request, "limit", 1, kMaxLibraryLimit, out.query.limit); !read)
        return read.error();
    if (out.query.type == LibraryType::Artists) {
        if (auto read = read_number(request, "offset", 0, kMaxArtistsOffset, out.query.offset,
                                    " for artists (Spotify pages them by cursor, so the bridge "
                                    "walks to the offset)");
            !read)
            return read.error();
    } else if (auto read = read_number(request, "offset", 0, kMaxLibraryOffset, out.query.offset);
               !read) {
        return read.error();
    }
    return out;
}

}  // namespace s2m
