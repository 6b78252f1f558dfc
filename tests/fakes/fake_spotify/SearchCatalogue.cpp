#include "SearchCatalogue.h"

#include <algorithm>
#include <cctype>

namespace fake_spotify {

namespace {

struct TrackRow {
    const char* id;
    const char* name;
    Artist artist;
    const char* album_id;
    const char* album_name;
    int number;
};

struct PlaylistRow {
    const char* id;
    const char* name;
    const char* owner_id;
    const char* owner_name;
    std::vector<std::string> items;
};

const Artist kDaftPunk{"4tZwfgrHOc3mvqYlEYSvVi", "Daft Punk"};
const Artist kBadCompany{"0hSsjcSQuc3p6JNxDXWr9v", "Bad Company"};
const Artist kBeyonce{"6vWDO969PvNqNYHIOW5v0m", "Beyoncé"};
const Artist kCafeEnsemble{"3cafeEnsembleDelMar0001", "Cafe del Mar Ensemble"};
const Artist kLofi{"5loFiCollective000000001", "Lo-Fi Collective"};

const TrackRow kTracks[] = {
    {"0DiWol3AO6WpXZgp0goxAV", "One More Time", kDaftPunk, "2noRn2Aes5aoNVsU6iWThc", "Discovery",
     1},
    {"2VEZx7NWsZ1D0eJ4uv5Fym", "Harder, Better, Faster, Stronger", kDaftPunk,
     "2noRn2Aes5aoNVsU6iWThc", "Discovery", 4},
    {"1pKYYY0dkg23sQQXi0Q5zN", "Around the World", kDaftPunk, "5uRdvUR7xCnHmUW8n64n9y", "Homework",
     7},
    {"6hjZJrVUJfyzT2uTCLAWbt", "Bad Company", kBadCompany, "1pAKCHOVlIbv5dWSOxzNak", "Bad Company",
     1},
    {"7Bhd3Wi5V5nk7sjw0N4H8u", "Can't Get Enough", kBadCompany, "1pAKCHOVlIbv5dWSOxzNak",
     "Bad Company", 2},
    {"4JehYebiI9JE8sR8MisGVb", "Halo", kBeyonce, "39P7VD7qlg3Z0ltq60eHp7", "I Am... Sasha Fierce",
     2},
    {"5cafeDelMarTrack00000001", "Cafe Del Mar", kCafeEnsemble, "0cafeDelMarAlbum00000001",
     "Cafe Del Mar", 1},
    {"3chillVibesTrack00000001", "Rain on Glass", kLofi, "1chillVibesAlbum00000001", "Chill Vibes",
     1},
};

struct EpisodeRow {
    const char* id;
    const char* name;
    const char* show_id;
    const char* show_name;
    const char* publisher;
    int number;
};

const EpisodeRow kEpisodes[] = {
    {"2darknetEpisode000000001", "EP 1: The Phreaks", "4XPl3uEEL9hvqMkoZrzbx5", "Darknet Diaries",
     "Jack Rhysider", 1},
    {"2darknetEpisode000000002", "EP 2: The Hacker Who Came In From the Cold",
     "4XPl3uEEL9hvqMkoZrzbx5", "Darknet Diaries", "Jack Rhysider", 2},
    {"2chillVibesEpisode000001", "Breathing Space", "6chillVibesShow000000001", "Chill Vibes",
     "Calm Radio", 1},
};

}  // namespace

void add_search_catalogue(World& world) {
    for (const TrackRow& row : kTracks) {
        Item item;
        item.id = row.id;
        item.uri = std::string("spotify:track:") + row.id;
        item.name = row.name;
        item.artists = {row.artist};
        item.album_id = row.album_id;
        item.album_name = row.album_name;
        item.image_url = "/image/" + item.album_id;
        item.track_number = row.number;
        world.put_item(std::move(item));
    }
    for (const EpisodeRow& row : kEpisodes) {
        Item episode;
        episode.id = row.id;
        episode.uri = std::string("spotify:episode:") + row.id;
        episode.name = row.name;
        episode.episode = true;
        episode.album_id = row.show_id;
        episode.album_name = row.show_name;
        episode.publisher = row.publisher;
        episode.image_url = "/image/" + episode.album_id;
        episode.duration_ms = 3'000'000;
        episode.track_number = row.number;
        world.put_item(std::move(episode));
    }
    // Each audiobook found can be played: its first chapters are in the catalogue the way
    // SpokenWord.h keeps chapters (episodes with `chapter` set, the book in album_*).
    for (const Audiobook& book : search_audiobooks()) {
        for (int number = 1; number <= std::min(book.total_chapters, 3); ++number) {
            Item chapter;
            chapter.id = book.id.substr(0, 20) + "Ch" + std::to_string(number);
            chapter.uri = "spotify:episode:" + chapter.id;
            chapter.name = "Chapter " + std::to_string(number);
            chapter.episode = true;
            chapter.chapter = true;
            for (const auto& author : book.authors) {
                std::string id = "author";  // base62, as Spotify's ids
                for (char c : author)
                    if (std::isalnum(static_cast<unsigned char>(c))) id += c;
                chapter.artists.push_back({id, author});
            }
            chapter.album_id = book.id;
            chapter.album_name = book.name;
            chapter.publisher = book.publisher;
            chapter.image_url = "/image/" + book.id;
            chapter.duration_ms = 1'800'000;
            chapter.track_number = number;
            world.put_item(std::move(chapter));
        }
    }
    const PlaylistRow playlists[] = {
        {"37i9dQZF1DX0cafeDelMar1",
         "Café del Mar",
         "spotify",
         "Spotify",
         {"spotify:track:5cafeDelMarTrack00000001", "spotify:track:3chillVibesTrack00000001"}},
        {"37i9dQZF1DX4chillVibes1",
         "Chill Vibes",
         "spotify",
         "Spotify",
         {"spotify:track:3chillVibesTrack00000001", "spotify:track:4JehYebiI9JE8sR8MisGVb"}},
        {"0removedChillVibes00001",
         "Chill Vibes",
         kRemovedOwner,
         "Gone",
         {"spotify:track:3chillVibesTrack00000001"}},
        {"37i9dQZF1DX6daftPunkMix",
         "This Is Daft Punk",
         "spotify",
         "Spotify",
         {"spotify:track:0DiWol3AO6WpXZgp0goxAV", "spotify:track:1pKYYY0dkg23sQQXi0Q5zN"}},
    };
    for (const PlaylistRow& row : playlists) {
        world.put_playlist(Context{std::string("spotify:playlist:") + row.id, "playlist", row.id,
                                   row.name, row.owner_id, row.owner_name,
                                   "/image/" + std::string(row.id), row.items});
    }
}

const std::vector<Audiobook>& search_audiobooks() {
    static const std::vector<Audiobook> books = {
        {"7iHfbu1YPACw6oZPAFJtqe",
         "Project Hail Mary",
         {"Andy Weir"},
         {"Ray Porter"},
         "Audible Studios",
         33},
        {"2hobbitAudiobook00000001",
         "The Hobbit",
         {"J.R.R. Tolkien"},
         {"Andy Serkis"},
         "HarperCollins",
         19},
        {"1chillVibesAudiobook0001",
         "Chill Vibes: A Guide to Calm",
         {"Mara Lind"},
         {"Mara Lind"},
         "Calm Press",
         12},
    };
    return books;
}

}  // namespace fake_spotify
