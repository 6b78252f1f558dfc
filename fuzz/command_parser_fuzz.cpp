// libFuzzer target for parse_command (docs/mqtt-commands.md#keys), run by scripts/fuzz.sh. Every
// input is parsed as a /set object payload and, with the first byte choosing the key, as a
// /set/<key> plain value. Besides "no crash, no exception, no sanitizer report" it checks what the
// callers rely on: errors carry a known reason and a short, valid UTF-8 sentence; accepted values
// are in range and every URI is already normalised (parsing it again gives the same link).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/Command.h"
#include "core/CommandBoost.h"
#include "core/PlayerSnapshot.h"
#include "core/Search.h"
#include "core/TextFold.h"
#include "fuzz_require.h"

namespace {

using s2m::fuzz::require;

void check_uri(const std::string& uri, bool item_only) {
    auto link = s2m::parse_spotify_link(uri);
    require(link.has_value(), "an accepted URI parses again");
    require(link->uri == uri, "an accepted URI is already normalised");
    if (item_only) require(link->type == "track" || link->type == "episode", "a track or episode");
}

void check(const s2m::CommandParse& parse) {
    if (!parse.ok()) {
        const auto& error = parse.error();
        require(error.reason == s2m::reason::kInvalidPayload ||
                    error.reason == s2m::reason::kUnknownKey,
                "the parser only answers INVALID_PAYLOAD or UNKNOWN_KEY");
        require(!error.message.empty() && error.message.size() < 600, "a short message");
        require(s2m::is_valid_utf8(error.message), "the message is valid UTF-8");
        return;
    }
    const auto& set = parse.commands();
    require(set != s2m::CommandSet{}, "an accepted message asks for something");
    if (set.volume) require(*set.volume >= 0 && *set.volume <= 100, "volume in 0..100");
    if (set.volume_step) {
        require(*set.volume_step >= -100 && *set.volume_step <= 100, "a step in -100..100");
        require(!set.volume, "a volume is absolute or relative, not both");
    }
    if (set.mute) require(!set.volume && !set.volume_step, "mute never comes with a volume");
    // Snapshot names become file names: only ever a-z 0-9 - _ (no '/', no "..").
    if (set.snapshot) require(s2m::is_snapshot_name(*set.snapshot), "a snapshot name");
    if (set.restore) require(s2m::is_snapshot_name(*set.restore), "a snapshot name");
    if (set.position_ms) require(*set.position_ms >= 0, "position_ms >= 0");
    if (set.boost_s) require(*set.boost_s >= 0 && *set.boost_s <= s2m::kMaxBoostS, "boost cap");
    if (set.device) require(!set.device->empty() && set.device->size() <= 256, "device length");
    if (set.repeat) {
        require(*set.repeat == "off" || *set.repeat == "track" || *set.repeat == "context",
                "repeat mode");
    }
    if (set.queue) check_uri(*set.queue, true);
    if (set.playlist) {
        require(set.playlist->name.has_value() != set.playlist->uri.has_value(),
                "a playlist is a name or a URI");
        if (set.playlist->uri) check_uri(*set.playlist->uri, false);
    }
    if (set.play) {
        const auto& play = *set.play;
        int targets = (play.liked ? 1 : 0) + (play.your_episodes ? 1 : 0) +
                      (play.context_uri ? 1 : 0) + (play.uris.empty() ? 0 : 1) +
                      (play.search ? 1 : 0);
        require(targets <= 1, "at most one play target");
        require(play.uris.size() <= s2m::kMaxPlayUris, "at most kMaxPlayUris");
        // Chapters play by their episode URI, so every item is a track or an episode.
        for (const auto& uri : play.uris) check_uri(uri, true);
        if (play.context_uri) check_uri(*play.context_uri, false);
        if (play.offset) {
            require(targets == 1, "an offset has something to start");
            require(play.offset->position.has_value() != play.offset->uri.has_value(),
                    "an offset is an index or a URI");
            if (play.offset->position) require(*play.offset->position >= 0, "offset >= 0");
            if (play.offset->uri) check_uri(*play.offset->uri, true);
        }
        if (play.position_ms) require(*play.position_ms >= 0, "play.position_ms >= 0");
        if (play.search) {
            require(!play.search->text.empty(), "a search has text");
            require(play.search->text.size() <= s2m::kMaxSearchQueryBytes, "search text length");
            require(!play.offset, "no offset with a search");
        }
    }
}

// bridge/request/search (core/Search.h): a request or a refusal, never anything out of range.
void check_search_request(std::string_view bytes) {
    auto request = nlohmann::json::parse(bytes, nullptr, false);
    if (!request.is_object()) return;
    auto parsed = s2m::parse_search_request(request);
    if (!parsed.ok()) {
        require(parsed.error().reason == s2m::reason::kInvalidPayload ||
                    parsed.error().reason == s2m::reason::kUnknownKey,
                "the search parser only answers INVALID_PAYLOAD or UNKNOWN_KEY");
        require(s2m::is_valid_utf8(parsed.error().message), "the message is valid UTF-8");
        return;
    }
    const auto& query = parsed->query;
    require(!parsed->account.empty() && !query.text.empty(), "account and query");
    require(query.text.size() <= s2m::kMaxSearchQueryBytes, "query length");
    require(!query.types.empty() && query.types.size() <= 7, "1 to 7 types");
    require(query.limit >= 1 && query.limit <= s2m::kMaxSearchLimit, "limit in 1..10");
    require(query.offset >= 0 && query.offset <= s2m::kMaxSearchOffset, "offset in 0..1000");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    check(s2m::parse_command("", bytes));

    if (size > 0) {
        // One of the keys, or (for the remaining byte values) a key that does not exist.
        const auto& keys = s2m::command_keys();
        size_t choice = data[0] % (keys.size() + 1);
        std::string key = choice < keys.size() ? keys[choice] : "Volume";
        check(s2m::parse_command(key, bytes.substr(1)));
    }

    check_search_request(bytes);
    if (s2m::is_valid_utf8(bytes)) {
        require(s2m::is_valid_utf8(s2m::fold_case_and_accents(bytes)), "folding keeps UTF-8");
        require(s2m::fold_case(s2m::fold_case(bytes)) == s2m::fold_case(bytes),
                "folding is stable");
    }

    std::string why;
    auto link = s2m::parse_spotify_link(bytes, &why);
    if (link) {
        if (!link->uri.empty()) check_uri(link->uri, false);
    } else {
        require(!why.empty() && s2m::is_valid_utf8(why), "a refused link says why");
    }
    return 0;
}
