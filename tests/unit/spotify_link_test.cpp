// parse_spotify_link: every spelling of a Spotify link people paste, normalised to one URI, and a
// reason for everything else.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/Command.h"

using namespace s2m;

namespace {

const std::string kId = "4uLU6hMCjMI75M1A2tKUQC";

struct LinkCase {
    std::string text;
    SpotifyLink expected;
};

SpotifyLink typed_link(const std::string& type, const std::string& id) {
    return {type, id, "spotify:" + type + ":" + id};
}

SpotifyLink collection(const std::string& user, const std::string& uri) {
    return {"collection", user, uri};
}

struct RefusedCase {
    std::string text;
    std::string why_contains;
};

}  // namespace

TEST_CASE("Spotify URIs and open.spotify.com links normalise to one URI", "[link]") {
    const std::vector<LinkCase> cases = {
        {"spotify:track:" + kId, typed_link("track", kId)},
        {"SPOTIFY:Track:" + kId, typed_link("track", kId)},  // the id keeps its case
        {"  spotify:show:abc123 \n", typed_link("show", "abc123")},
        {"spotify:episode:e1", typed_link("episode", "e1")},
        {"spotify:artist:" + kId, typed_link("artist", kId)},
        {"https://open.spotify.com/track/" + kId, typed_link("track", kId)},
        {"https://open.spotify.com/track/" + kId + "?si=a1b2c3d4e5f6", typed_link("track", kId)},
        {"https://open.spotify.com/album/" + kId + "?si=x&utm_source=copy-link#top",
         typed_link("album", kId)},
        {"https://open.spotify.com/playlist/" + kId + "#section", typed_link("playlist", kId)},
        {"http://open.spotify.com/album/" + kId, typed_link("album", kId)},
        {"open.spotify.com/playlist/" + kId, typed_link("playlist", kId)},
        {"HTTPS://OPEN.SPOTIFY.COM/artist/" + kId, typed_link("artist", kId)},
        {"https://Open.Spotify.Com/Track/" + kId, typed_link("track", kId)},
        {"https://open.spotify.com/intl-de/track/" + kId + "?si=1", typed_link("track", kId)},
        {"https://open.spotify.com/intl-pt-br/episode/" + kId, typed_link("episode", kId)},
        {"https://open.spotify.com/embed/playlist/" + kId, typed_link("playlist", kId)},
        {"https://open.spotify.com/intl-fr/embed/show/" + kId, typed_link("show", kId)},
        {"https://open.spotify.com/album/" + kId + "/", typed_link("album", kId)},
        {"https://open.spotify.com/album/" + kId + "/?si=z", typed_link("album", kId)},
        {"https://play.spotify.com/track/" + kId, typed_link("track", kId)},
        {"https://open.spotify.com/collection/tracks", collection("", "")},
        {"open.spotify.com/collection/tracks/?si=1", collection("", "")},
        {"spotify:user:alice.b_c-d:collection",
         collection("alice.b_c-d", "spotify:user:alice.b_c-d:collection")},
        {"SPOTIFY:USER:Alice:COLLECTION", collection("Alice", "spotify:user:Alice:collection")},
        {"spotify:user:bob:playlist:" + kId, typed_link("playlist", kId)},
        {"https://open.spotify.com/user/bob/playlist/" + kId + "?si=q",
         typed_link("playlist", kId)},
        {"spotify:track:" + std::string(64, 'a'), typed_link("track", std::string(64, 'a'))},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        std::string why;
        auto parsed = parse_spotify_link(c.text, &why);
        INFO(why);
        REQUIRE(parsed);
        CHECK(*parsed == c.expected);
        // The normalised URI reads back as itself.
        if (!parsed->uri.empty()) CHECK(parse_spotify_link(parsed->uri) == parsed);
    }
}

TEST_CASE("anything else is refused with a reason", "[link]") {
    const std::vector<RefusedCase> cases = {
        {"https://spotify.link/aBcD1234", "short links (spotify.link/…) cannot be resolved"},
        {"spotify.link/aBcD1234", "copy the open.spotify.com link"},
        {"https://spotify.app.link/xyz?_p=1", "short links"},
        {"spotify:track:abc!def", "1 to 64 letters and digits"},
        {"spotify:track:", "1 to 64 letters and digits"},
        {"spotify:track:" + std::string(65, 'a'), "1 to 64 letters and digits"},
        {"spotify:podcast:abc", "the type \"podcast\" is not one of track, episode, album"},
        {"spotify:track:abc:def", "spotify:<type>:<id>"},
        {"spotify:local:Artist:Album:Title:180", "local files"},
        {"spotify:user:bob", "spotify:user:<user>:collection"},
        {"spotify:user:b@b:collection", "user id"},
        {"https://www.youtube.com/watch?v=abc", "only open.spotify.com links"},
        {"https://open.spotify.com.evil.example/track/abc", "only open.spotify.com links"},
        {"https://open.spotify.com/", "looks like https://open.spotify.com/track/<id>"},
        {"https://open.spotify.com", "looks like"},
        {"https://open.spotify.com/track", "looks like"},
        {"https://open.spotify.com/track/abc/extra", "looks like"},
        {"https://open.spotify.com//track/abc", "empty path segment"},
        {"https://open.spotify.com/intl-deutsch/track/abc", "/intl-de/"},
        {"https://open.spotify.com/collection/albums", "collection/tracks"},
        {"https://open.spotify.com/genre/abc", "is not one of"},
        {"", "empty"},
        {"   ", "empty"},
        {"Kitchen Speaker", "neither a spotify: URI"},
        {kId, "a bare id does not say what it is"},
        {"ftp://open.spotify.com/track/abc", "neither"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        std::string why;
        CHECK_FALSE(parse_spotify_link(c.text, &why));
        CHECK_THAT(why, Catch::Contains(c.why_contains));
        CHECK(is_valid_utf8(why));
        CHECK_FALSE(parse_spotify_link(c.text));  // `why` is optional
    }
}
