// Spotify URIs and open.spotify.com links → one normalised spotify:<type>:<id>
// (docs/mqtt-commands.md#links), and the strict UTF-8 check every echoed text goes through. Pure;
// never throws on any input.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Command.h"
#include "core/Encoding.h"

namespace s2m {

namespace {

constexpr std::array<std::string_view, 8> kLinkTypes = {
    "track", "episode", "album", "playlist", "artist", "show", "audiobook", "chapter"};
constexpr size_t kMaxIdBytes = 64;

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
    return is_alpha(c) || is_digit(c);
}
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// The canonical (lowercase) type name, or nullopt when `text` is none of kLinkTypes.
std::optional<std::string> link_type(std::string_view text) {
    for (std::string_view type : kLinkTypes) {
        if (iequals(text, type)) return std::string(type);
    }
    return std::nullopt;
}

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > kMaxIdBytes) return false;
    for (char c : id) {
        if (!is_alnum(c)) return false;
    }
    return true;
}

bool valid_user(std::string_view user) {
    if (user.empty() || user.size() > kMaxIdBytes) return false;
    for (char c : user) {
        if (!is_alnum(c) && c != '.' && c != '_' && c != '-') return false;
    }
    return true;
}

// A segment the user typed, quoted only when it is short and plainly harmless; the caller
// quotes the whole input anyway.
std::string quoted_token(std::string_view token) {
    if (token.empty() || token.size() > 24) return "";
    for (char c : token) {
        if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return "";
    }
    return " \"" + std::string(token) + "\"";
}

std::string types_list() {
    return "track, episode, album, playlist, artist, show, audiobook or chapter";
}

std::optional<SpotifyLink> fail(std::string* why, std::string message) {
    if (why) *why = std::move(message);
    return std::nullopt;
}

SpotifyLink make(std::string type, std::string_view id) {
    SpotifyLink link;
    link.uri = "spotify:" + type + ":" + std::string(id);
    link.type = std::move(type);
    link.id = std::string(id);
    return link;
}

std::optional<SpotifyLink> typed(std::string_view type_text, std::string_view id,
                                 std::string* why) {
    auto type = link_type(type_text);
    if (!type) {
        return fail(why, "the type" + quoted_token(type_text) + " is not one of " + types_list());
    }
    if (!valid_id(id)) {
        return fail(why, "the " + *type + " id must be 1 to 64 letters and digits");
    }
    return make(*type, id);
}

// The user's saved episodes ("Your Episodes"): a collection Spotify plays as
// spotify:user:<user>:collection:your-episodes; `user` is "" when a link did not name one.
SpotifyLink your_episodes(std::string_view user) {
    SpotifyLink link;
    link.type = "your_episodes";
    link.id = std::string(user);
    if (!user.empty()) link.uri = "spotify:user:" + link.id + ":collection:your-episodes";
    return link;
}

std::optional<SpotifyLink> old_style_playlist(std::string_view user, std::string_view id,
                                              std::string* why) {
    if (!valid_user(user)) {
        return fail(why, "the user id must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (!valid_id(id)) return fail(why, "the playlist id must be 1 to 64 letters and digits");
    return make("playlist", id);
}

// spotify:<type>:<id>, spotify:user:<user>:collection[:your-episodes],
// spotify:user:<user>:playlist:<id>.
std::optional<SpotifyLink> parse_uri(std::string_view text, std::string* why) {
    auto parts = split(text, ':');  // parts[0] is "spotify" (any case)
    if (parts.size() >= 2 && iequals(parts[1], "user")) {
        if (parts.size() == 4 && iequals(parts[3], "collection")) {
            if (!valid_user(parts[2])) {
                return fail(why, "the user id must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            SpotifyLink link;
            link.type = "collection";
            link.id = std::string(parts[2]);
            link.uri = "spotify:user:" + link.id + ":collection";
            return link;
        }
        if (parts.size() == 5 && iequals(parts[3], "playlist")) {
            return old_style_playlist(parts[2], parts[4], why);
        }
        if (parts.size() == 5 && iequals(parts[3], "collection") &&
            iequals(parts[4], "your-episodes")) {
            if (!valid_user(parts[2])) {
                return fail(why, "the user id must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            return your_episodes(parts[2]);
        }
        return fail(why,
                    "a spotify:user: URI must be spotify:user:<user>:collection, "
                    "spotify:user:<user>:collection:your-episodes or "
                    "spotify:user:<user>:playlist:<id>");
    }
    if (parts.size() >= 2 && iequals(parts[1], "local")) {
        return fail(why, "local files (spotify:local:…) cannot be played through the Web API");
    }
    if (parts.size() != 3) {
        return fail(why, "a Spotify URI has the form spotify:<type>:<id>, e.g. spotify:track:<id>");
    }
    return typed(parts[1], parts[2], why);
}

// The path of an open.spotify.com link, without query and fragment: [/intl-xx[-yy]][/embed]
// /<type>/<id>[/], /collection/tracks[/], /collection/episodes[/] (Your Episodes), or
// /user/<user>/playlist/<id>[/].
std::optional<SpotifyLink> parse_path(std::string_view path, std::string* why) {
    const std::string kForm =
        "an open.spotify.com link looks like https://open.spotify.com/track/<id>";
    if (path.empty() || path == "/") return fail(why, kForm);
    if (path.front() != '/') return fail(why, kForm);
    path.remove_prefix(1);
    if (!path.empty() && path.back() == '/') path.remove_suffix(1);
    auto segments = split(path, '/');
    for (auto segment : segments) {
        if (segment.empty()) return fail(why, "the link has an empty path segment (//)");
    }
    size_t at = 0;
    if (at < segments.size() && istarts_with(segments[at], "intl-")) {
        auto locale = segments[at].substr(5);
        bool ok = (locale.size() == 2 && is_alpha(locale[0]) && is_alpha(locale[1])) ||
                  (locale.size() == 5 && is_alpha(locale[0]) && is_alpha(locale[1]) &&
                   locale[2] == '-' && is_alpha(locale[3]) && is_alpha(locale[4]));
        if (!ok) return fail(why, "the locale segment must look like /intl-de/ or /intl-pt-br/");
        ++at;
    }
    if (at < segments.size() && iequals(segments[at], "embed")) ++at;
    size_t left = segments.size() - at;
    if (left == 2 && iequals(segments[at], "collection")) {
        if (iequals(segments[at + 1], "episodes")) return your_episodes("");
        if (!iequals(segments[at + 1], "tracks")) {
            return fail(why,
                        "the collection links are open.spotify.com/collection/tracks (Liked "
                        "Songs) and open.spotify.com/collection/episodes (Your Episodes)");
        }
        SpotifyLink link;
        link.type = "collection";
        return link;
    }
    if (left == 4 && iequals(segments[at], "user") && iequals(segments[at + 2], "playlist")) {
        return old_style_playlist(segments[at + 1], segments[at + 3], why);
    }
    if (left != 2) return fail(why, kForm);
    return typed(segments[at], segments[at + 1], why);
}

}  // namespace

std::optional<SpotifyLink> parse_spotify_link(std::string_view text, std::string* why) {
    text = trim(text);
    if (text.empty()) return fail(why, "it is empty");
    if (istarts_with(text, "spotify:")) return parse_uri(text, why);

    std::string_view rest = text;
    bool had_scheme = false;
    if (istarts_with(rest, "https://")) {
        rest.remove_prefix(8);
        had_scheme = true;
    } else if (istarts_with(rest, "http://")) {
        rest.remove_prefix(7);
        had_scheme = true;
    }
    size_t host_end = rest.find_first_of("/?#");
    std::string_view host = rest.substr(0, host_end);
    std::string_view tail = host_end == std::string_view::npos ? "" : rest.substr(host_end);

    if (iequals(host, "spotify.link") || iequals(host, "spotify.app.link")) {
        return fail(why,
                    "short links (spotify.link/…) cannot be resolved by the bridge; open it in a "
                    "browser and copy the open.spotify.com link");
    }
    if (!iequals(host, "open.spotify.com") && !iequals(host, "play.spotify.com")) {
        if (had_scheme || host.find('.') != std::string_view::npos) {
            return fail(why, "only open.spotify.com links and spotify: URIs are understood");
        }
        bool bare_id = valid_id(text) && text.size() >= 16;
        if (bare_id) {
            return fail(why,
                        "a bare id does not say what it is; write spotify:track:<id> (or album, "
                        "playlist, …) or paste the open.spotify.com link");
        }
        return fail(why,
                    "it is neither a spotify: URI (e.g. spotify:track:<id>) nor an "
                    "open.spotify.com link");
    }
    size_t path_end = tail.find_first_of("?#");
    return parse_path(tail.substr(0, path_end), why);
}

bool is_valid_utf8(std::string_view text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        unsigned char c = bytes[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t length;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            cp = c & 0x07;
        } else {
            return false;  // continuation byte, overlong lead (C0/C1) or beyond U+10FFFF (F5+)
        }
        if (n - i < length) return false;  // truncated
        for (size_t k = 1; k < length; ++k) {
            unsigned char cc = bytes[i + k];
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000)) return false;  // overlong
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // surrogate
        if (cp > 0x10FFFF) return false;
        i += length;
    }
    return true;
}

}  // namespace s2m
