// The simulated Spotify: a shared catalogue and playlists, users with devices and playback,
// registered apps, tokens and a simulated clock.
//
// Thread rule: every member function except the constructor must be called with mutex() held.
// httplib serves on many threads; one lock around the whole world keeps the model simple and
// the fake is never the bottleneck of a test.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fake_spotify {

struct Artist {
    std::string id;
    std::string name;
};

// A track or an episode. For episodes album_* describe the show and artists are unused. A chapter
// is an episode (as in the reference) whose album_* describe its audiobook, artists its authors.
struct Item {
    std::string uri;
    std::string id;
    std::string name;
    bool episode = false;
    bool chapter = false;
    std::vector<Artist> artists;
    std::string album_id;
    std::string album_name;
    std::string image_url;
    std::string publisher;
    int64_t duration_ms = 180000;
    int track_number = 1;
};

// Something playable as a whole: a playlist (stored), or an album, artist, show, audiobook or one
// of the user's collections (liked songs, saved episodes), derived when asked for.
struct Context {
    std::string uri;
    std::string type;  // playlist | album | artist | show | audiobook | collection
    std::string id;
    std::string name;
    std::string owner_id;
    std::string owner_name;
    std::string image_url;
    std::vector<std::string> items;
    // Playlists only (PlaylistEditApi.h): who may change it besides its owner, and its details.
    bool collaborative = false;
    bool is_public = false;
    std::string description;
};

struct Device {
    std::string id;
    std::string name;
    std::string type = "Computer";
    bool is_restricted = false;
    bool supports_volume = true;
    bool is_private_session = false;
    int volume_percent = 50;
};

// Progress is stored as (progress_ms at anchor_ms); settle() rolls it forward lazily.
struct Playback {
    bool active = false;
    bool is_playing = false;
    std::string device_id;
    std::string context_uri;         // empty when playing a plain list of uris
    std::vector<std::string> order;  // the context's items, or the uris
    size_t index = 0;
    std::string current;  // order[index], or an item taken from the queue
    int64_t progress_ms = 0;
    int64_t anchor_ms = 0;   // simulated time progress_ms was measured at
    int64_t changed_ms = 0;  // simulated time of the last change (Spotify's `timestamp`)
    bool shuffle = false;    // reported only: play order stays sequential for deterministic tests
    std::string repeat = "off";
    std::deque<std::string> queue;
};

// One entry of the listening history (ListeningApi.h): an item that played to its end, or for
// 30 s before it was skipped.
struct Play {
    std::string uri;
    int64_t played_at_ms = 0;
};

struct User {
    std::string id;
    std::string display_name;
    std::string product = "premium";
    std::string scope;
    bool rotate_refresh_tokens = false;
    int64_t token_lifetime_s = 3600;
    std::vector<std::string> playlists;  // uris into World's playlists, in library order
    std::vector<Device> devices;
    std::vector<std::string> liked;           // saved tracks, newest first
    std::set<std::string> library;            // other saved uris (albums, shows, playlists…)
    std::vector<std::string> saved_episodes;  // "Your Episodes", newest first
    Playback playback;
    std::deque<Play> played;               // newest first (ListeningApi.h)
    std::vector<std::string> top_tracks;   // uris; empty: derived (ListeningApi.h)
    std::vector<std::string> top_artists;  // artist ids; empty: derived

    Device* device(const std::string& device_id);
    const Device* device(const std::string& device_id) const;
    bool premium() const { return product == "premium"; }
    std::string collection_uri() const { return "spotify:user:" + id + ":collection"; }
    std::string your_episodes_uri() const { return collection_uri() + ":your-episodes"; }
};

struct ClientApp {
    std::string id;
    std::optional<std::string> secret;  // none: a public (PKCE) client
    // Where /authorize may send the user back (exact match, see AuthorizeRequest.h).
    std::vector<std::string> redirect_uris;
};

struct TokenGrant {
    std::string access_token;
    std::optional<std::string> refresh_token;  // only when rotating (or on a first grant)
    std::string scope;
    int64_t expires_in = 3600;
};

enum class AccessCheck { Ok, Invalid, Expired };

class World {
  public:
    World();

    std::mutex& mutex() { return mutex_; }

    // Registered apps. add_client replaces an app with the same id.
    void add_client(ClientApp app);
    const ClientApp* client(const std::string& id) const;
    const std::map<std::string, ClientApp>& clients() const { return clients_; }

    // Simulated clock: unix ms that runs `speed` times faster than real time.
    int64_t now_ms() const;
    double speed() const { return speed_; }
    void set_speed(double speed);
    void advance(int64_t ms);
    // Real milliseconds since start; token expiry uses real time like the bridge's own clock.
    int64_t real_ms() const;

    // Users. put_user replaces an existing user and kills its old tokens.
    User* user(const std::string& id);
    User& put_user(User user, const std::string& refresh_token);
    const std::map<std::string, User>& users() const { return users_; }

    // Catalogue and playlists, shared by all users like Spotify's.
    const Item* item(const std::string& uri) const;
    // Unknown but well-formed track/episode uris get a generated entry so tests can use any id.
    const Item& ensure_item(const std::string& uri);
    void put_item(Item item);
    void put_playlist(Context playlist);
    std::optional<Context> context(const User& user, const std::string& uri);
    std::vector<const Item*> album_items(const std::string& album_id) const;
    // Everything there is, for the search (SearchApi.cpp).
    const std::map<std::string, Item>& catalogue() const { return catalogue_; }
    const std::map<std::string, Context>& playlists() const { return playlists_; }

    // Tokens.
    std::optional<TokenGrant> refresh(const std::string& refresh_token,
                                      const std::string& client_id);
    TokenGrant issue(User& user, const std::string& client_id, bool with_refresh_token);
    User* authenticate(const std::string& access_token, AccessCheck& check);
    std::optional<std::string> user_of_access_token(const std::string& token) const;
    // The app (client id) an access token was issued to: the request log shows it per call.
    std::optional<std::string> client_of_access_token(const std::string& token) const;
    // The scopes (space separated) the user had granted when the token was issued (ScopeCheck.h).
    std::optional<std::string> scope_of_access_token(const std::string& token) const;
    std::optional<std::string> user_of_refresh_token(const std::string& token) const;
    void expire_access_tokens(const std::string& user_id);
    void revoke_refresh_tokens(const std::string& user_id);
    // Valid refresh tokens of a user, oldest first (two while a rotation is unconfirmed).
    std::vector<std::string> refresh_tokens(const std::string& user_id) const;
    size_t live_access_tokens(const std::string& user_id) const;

  private:
    enum class RefreshState { Current, Pending, Dead };
    struct RefreshToken {
        std::string user_id;
        RefreshState state;
        int64_t issued;  // ordering for refresh_tokens()
        // The app it was issued to; only that app may use it, as on Spotify. Empty: seeded by
        // the control API, usable by any app (the token it rotates to is then bound).
        std::string client_id;
    };
    struct AccessToken {
        std::string user_id;
        std::string client_id;
        int64_t expires_at_real_ms;
        bool revoked = false;
        std::string scope;
    };

    void add_default_catalogue();
    void kill_tokens_of(const std::string& user_id);
    std::string new_refresh_token(const std::string& user_id, RefreshState state,
                                  const std::string& client_id);

    mutable std::mutex mutex_;
    std::chrono::steady_clock::time_point real_start_ = std::chrono::steady_clock::now();
    // Simulated time = sim_base_ms_ + (real_ms() - real_base_ms_) * speed_.
    int64_t sim_base_ms_ = 0;
    int64_t real_base_ms_ = 0;
    double speed_ = 1.0;

    std::map<std::string, ClientApp> clients_;
    std::map<std::string, User> users_;
    std::map<std::string, Item> catalogue_;
    std::map<std::string, Context> playlists_;
    std::map<std::string, RefreshToken> refresh_tokens_;
    std::map<std::string, AccessToken> access_tokens_;
    int64_t token_serial_ = 0;
};

// "spotify:track:abc" -> {"track","abc"}; nullopt unless it has that shape.
std::optional<std::pair<std::string, std::string>> split_uri(const std::string& uri);

}  // namespace fake_spotify
