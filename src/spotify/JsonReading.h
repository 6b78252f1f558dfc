// Internal to the spotify/ JSON mapping (SpotifyJson.cpp, PlaylistJson.cpp, SearchJson.cpp): the
// reading steps they share. Pure; every failure becomes an Error of kind BadResponse.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/JsonFields.h"
#include "core/PlaybackState.h"
#include "core/Result.h"
#include "core/Search.h"

namespace s2m::json_reading {

inline Error bad_response(const std::string& what) {
    return Error{ErrorKind::BadResponse, "Spotify sent an answer the bridge cannot read: " + what};
}

// Parses a body as JSON; on failure returns the error for the caller to hand back.
inline std::optional<Error> parse_body(std::string_view body, Json& out) {
    out = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (out.is_discarded()) return bad_response("the body is not JSON");
    return std::nullopt;
}

// Images are sorted largest first (reference: ImageObject arrays); the first is the best cover.
inline std::optional<std::string> first_image(const Json& object, const std::string& path) {
    const Json* images = opt_array(object, "images", path);
    if (!images || images->empty()) return std::nullopt;
    return opt_string((*images)[0], "url", path + ".images[0]");
}

// The names in a list of objects with a `name` (artists; an audiobook's authors).
inline std::vector<std::string> names_in(const Json& object, const char* key,
                                         const std::string& path) {
    std::vector<std::string> names;
    if (const Json* list = opt_array(object, key, path)) {
        for (size_t i = 0; i < list->size(); ++i) {
            std::string at = path + "." + key + "[" + std::to_string(i) + "]";
            if (auto name = opt_string((*list)[i], "name", at)) names.push_back(*name);
        }
    }
    return names;
}

// One compact entry of a search result or a library list (SearchJson.cpp): a TrackObject,
// AlbumObject, ArtistObject, playlist, show, episode or audiobook. Throws FieldError without a uri.
SearchEntry read_search_entry(SearchType type, const Json& item, const std::string& path);
// A TrackObject or EpisodeObject as the account state's `track` has it (SpotifyJson.cpp).
Track read_item(const Json& item);

// Runs a mapper over a parsed body, turning FieldError / JSON type errors into BadResponse.
template <typename T, typename Mapper>
Result<T> map_body(std::string_view body, Mapper mapper) {
    Json root;
    if (auto error = parse_body(body, root)) return *error;
    try {
        return mapper(root);
    } catch (const FieldError& e) {
        return bad_response(e.what());
    } catch (const nlohmann::json::exception& e) {
        return bad_response(e.what());
    }
}

}  // namespace s2m::json_reading
