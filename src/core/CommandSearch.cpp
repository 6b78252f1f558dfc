// Play by name (docs/mqtt-commands.md#search): the search key, play's {"search","type"} and the
// plan that searches once, picks with choose_match (core/Search.h) and plays what it picked.
//
//   search       text, optionally prefixed with a type: "artist:Daft Punk", "show: Darknet
//                Diaries" (the same as {"play":{"search":…,"type":…}}, for Home Assistant's text
//                entity and voice assistants)
//   play.search  the text; play.type one of track album artist playlist show episode audiobook
#include <string>

#include "core/CommandPlanning.h"
#include "core/CommandValues.h"
#include "core/Encoding.h"
#include "spotify/Endpoints.h"

namespace s2m::command_values {

Status parse_search(const std::string& name, const Json& value, CommandSet& out) {
    if (out.play || out.playlist) {
        return invalid(std::string(out.play ? "play" : "playlist") +
                       " and search cannot be combined; each starts playback, so send one of them");
    }
    auto text = text_of(name, "text to search for, such as \"artist:Daft Punk\"", value);
    if (!text) return text.error();
    auto search = parse_name_search(text.value());
    if (!search) return search.error();
    PlayTarget target;
    target.search = std::move(search.value());
    out.play = std::move(target);
    return ok_status();
}

Status search_from_object(const Json& object, PlayTarget& out) {
    if (!object.contains("search")) {
        if (object.contains("type")) {
            return invalid("play.type needs play.search: it says what kind of thing to search for");
        }
        return ok_status();
    }
    for (const char* other : {"uri", "uris", "media_id", "offset"}) {
        if (object.contains(other)) {
            return invalid("play.search cannot be combined with play." + std::string(other) +
                           "; the search says what to play");
        }
    }
    const Json& text = object.at("search");
    if (!text.is_string()) {
        return invalid("play.search must be the text to search for, got " + describe(text));
    }
    NameSearch search;
    if (auto it = object.find("type"); it != object.end()) {
        std::optional<SearchType> type;
        if (it->is_string()) type = search_type_of(trim(it->get_ref<const std::string&>()));
        if (!type) {
            return invalid("play.type must be one of " + search_type_list() + ", got " +
                           describe(*it));
        }
        search.type = type;
    }
    // A prefix in the text names the type too ("artist:Daft Punk"); play.type, when given, wins.
    auto read = parse_name_search(text.get_ref<const std::string&>());
    if (!read) return read.error();
    if (search.type) read->type = search.type;
    out.search = std::move(read.value());
    return ok_status();
}

bool plan_found(const NameSearch& search, Planning& planning, nlohmann::json& body) {
    const auto& results = planning.known().search_results;
    if (!results) return planning.stop(Refresh::Search);
    std::optional<SearchEntry> found = choose_match(search, *results);
    if (!found) {
        std::string what = search.type ? std::string("no ") + to_string(*search.type) : "nothing";
        return planning.stop(CommandError{
            reason::kNotFound, "Spotify found " + what + " for " + quote(search.text) +
                                   ", so nothing was played. Check the spelling, or search with "
                                   "another type."});
    }
    if (found->type == SearchType::Track || found->type == SearchType::Episode) {
        body["uris"] = {found->uri};
    } else {
        body["context_uri"] = found->uri;
    }
    planning.plan().played = std::move(found);
    return true;
}

}  // namespace s2m::command_values
