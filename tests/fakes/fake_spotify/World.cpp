#include "World.h"

#include <algorithm>
#include <utility>

#include "Http.h"
#include "SpokenWord.h"

namespace fake_spotify {

std::optional<std::pair<std::string, std::string>> split_uri(const std::string& uri) {
    auto parts = split(uri, ':');
    if (parts.size() != 3 || parts[0] != "spotify" || parts[1].empty() || parts[2].empty()) {
        return std::nullopt;
    }
    return std::make_pair(parts[1], parts[2]);
}

const Device* User::device(const std::string& device_id) const {
    for (const auto& d : devices) {
        if (d.id == device_id) return &d;
    }
    return nullptr;
}

Device* User::device(const std::string& device_id) {
    return const_cast<Device*>(std::as_const(*this).device(device_id));
}

World::World() {
    sim_base_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
    add_default_catalogue();
}

// Every user can play these, so a test that only names a user still has music to play.
void World::add_default_catalogue() {
    struct Row {
        const char* id;
        const char* name;
        int artist;
        int album;
        int64_t seconds;
    };
    static const Artist artists[] = {{"fakeArtist1", "The Fake Band"},
                                     {"fakeArtist2", "Test Pattern"}};
    static const char* albums[][2] = {{"fakeAlbum1", "First Light"}, {"fakeAlbum2", "Second Wind"}};
    static const Row rows[] = {
        {"fakeTrack01", "Northern Lights", 0, 0, 185}, {"fakeTrack02", "Paper Boats", 0, 0, 201},
        {"fakeTrack03", "Static Bloom", 1, 0, 174},    {"fakeTrack04", "Glasshouse", 0, 0, 232},
        {"fakeTrack05", "Slow River", 1, 1, 247},      {"fakeTrack06", "Night Bus", 1, 1, 198},
        {"fakeTrack07", "Copper Sky", 0, 1, 215},      {"fakeTrack08", "Last Light", 1, 1, 260},
    };
    int number = 0;
    for (const auto& row : rows) {
        Item item;
        item.id = row.id;
        item.uri = std::string("spotify:track:") + row.id;
        item.name = row.name;
        item.artists = {artists[row.artist]};
        item.album_id = albums[row.album][0];
        item.album_name = albums[row.album][1];
        item.image_url = "/image/" + item.album_id;
        item.duration_ms = row.seconds * 1000;
        item.track_number = number++ % 4 + 1;
        put_item(item);
    }
    for (int i = 1; i <= 2; ++i) {
        Item ep;
        ep.id = "fakeEpisode" + std::to_string(i);
        ep.uri = "spotify:episode:" + ep.id;
        ep.name = "Episode " + std::to_string(i) + ": Testing in Production";
        ep.episode = true;
        ep.album_id = "fakeShow1";
        ep.album_name = "The Fake Podcast";
        ep.publisher = "Fake Media";
        ep.image_url = "/image/fakeShow1";
        ep.duration_ms = 1800000;
        ep.track_number = i;
        put_item(ep);
    }
    add_audiobook_catalogue(*this);
}

void World::add_client(ClientApp app) {
    clients_[app.id] = std::move(app);
}

const ClientApp* World::client(const std::string& id) const {
    auto it = clients_.find(id);
    return it == clients_.end() ? nullptr : &it->second;
}

int64_t World::real_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 real_start_)
        .count();
}

int64_t World::now_ms() const {
    return sim_base_ms_ +
           static_cast<int64_t>(static_cast<double>(real_ms() - real_base_ms_) * speed_);
}

void World::set_speed(double speed) {
    sim_base_ms_ = now_ms();
    real_base_ms_ = real_ms();
    speed_ = speed;
}

void World::advance(int64_t ms) {
    sim_base_ms_ += ms;
}

User* World::user(const std::string& id) {
    auto it = users_.find(id);
    return it == users_.end() ? nullptr : &it->second;
}

User& World::put_user(User user, const std::string& refresh_token) {
    kill_tokens_of(user.id);
    std::string id = user.id;
    users_[id] = std::move(user);
    if (!refresh_token.empty()) {
        refresh_tokens_[refresh_token] =
            RefreshToken{id, RefreshState::Current, ++token_serial_, ""};
    }
    return users_[id];
}

const Item* World::item(const std::string& uri) const {
    auto it = catalogue_.find(uri);
    return it == catalogue_.end() ? nullptr : &it->second;
}

const Item& World::ensure_item(const std::string& uri) {
    if (auto* found = item(uri)) return *found;
    Item item;
    item.uri = uri;
    auto parts = split_uri(uri);
    item.id = parts ? parts->second : uri;
    item.episode = parts && parts->first == "episode";
    item.name = (item.episode ? "Episode " : "Track ") + item.id;
    if (item.episode) {
        item.album_id = "unknownShow";
        item.album_name = "Unknown Show";
        item.publisher = "Unknown Publisher";
    } else {
        item.artists = {{"unknownArtist", "Unknown Artist"}};
        item.album_id = "unknownAlbum";
        item.album_name = "Unknown Album";
    }
    item.image_url = "https://fake.invalid/art/" + item.album_id + ".jpg";
    put_item(item);
    return catalogue_.at(uri);
}

void World::put_item(Item item) {
    std::string uri = item.uri;
    catalogue_[uri] = std::move(item);
}

void World::put_playlist(Context playlist) {
    std::string uri = playlist.uri;
    playlists_[uri] = std::move(playlist);
}

std::vector<const Item*> World::album_items(const std::string& album_id) const {
    std::vector<const Item*> items;
    for (const auto& [uri, item] : catalogue_) {
        if (item.album_id == album_id) items.push_back(&item);
    }
    std::stable_sort(items.begin(), items.end(), [](const Item* a, const Item* b) {
        return a->track_number < b->track_number;
    });
    return items;
}

std::optional<Context> World::context(const User& user, const std::string& uri) {
    if (uri == user.collection_uri()) {
        return Context{uri,     "collection",      "", "Liked Songs",
                       user.id, user.display_name, "", user.liked};
    }
    if (uri == user.your_episodes_uri()) {
        return Context{uri,     "collection",      "", "Your Episodes",
                       user.id, user.display_name, "", user.saved_episodes};
    }
    auto parts = split_uri(uri);
    if (!parts) return std::nullopt;
    const auto& [type, id] = *parts;
    if (type == "playlist") {
        auto it = playlists_.find(uri);
        if (it == playlists_.end()) return std::nullopt;
        return it->second;
    }
    Context ctx{uri, type, id, "", "", "", "", {}};
    if (type == "album" || type == "show" || type == "audiobook") {
        for (const Item* item : album_items(id)) {
            ctx.name = item->album_name;
            ctx.image_url = item->image_url;
            ctx.items.push_back(item->uri);
        }
    } else if (type == "artist") {
        for (const auto& [item_uri, item] : catalogue_) {
            for (const auto& artist : item.artists) {
                if (artist.id != id) continue;
                ctx.name = artist.name;
                ctx.items.push_back(item_uri);
            }
        }
    }
    if (ctx.items.empty()) return std::nullopt;
    return ctx;
}

std::string World::new_refresh_token(const std::string& user_id, RefreshState state,
                                     const std::string& client_id) {
    std::string token = "fake-rt-" + random_hex(16);
    refresh_tokens_[token] = RefreshToken{user_id, state, ++token_serial_, client_id};
    return token;
}

TokenGrant World::issue(User& user, const std::string& client_id, bool with_refresh_token) {
    TokenGrant grant;
    grant.access_token = "fake-at-" + random_hex(16);
    grant.scope = user.scope;
    grant.expires_in = user.token_lifetime_s;
    access_tokens_[grant.access_token] = AccessToken{
        user.id, client_id, real_ms() + user.token_lifetime_s * 1000, false, user.scope};
    if (with_refresh_token)
        grant.refresh_token = new_refresh_token(user.id, RefreshState::Current, client_id);
    return grant;
}

// Rotation, modelled on Spotify: a refresh returns a new (pending) token while the one used
// stays valid; the first use of the pending token retires the older one. Using the older one
// again instead replaces the pending token with a fresh one.
std::optional<TokenGrant> World::refresh(const std::string& refresh_token,
                                         const std::string& client_id) {
    auto it = refresh_tokens_.find(refresh_token);
    if (it == refresh_tokens_.end() || it->second.state == RefreshState::Dead) return std::nullopt;
    // Another app's refresh token: Spotify answers invalid_grant.
    if (!it->second.client_id.empty() && it->second.client_id != client_id) return std::nullopt;
    User* owner = user(it->second.user_id);
    if (!owner) return std::nullopt;
    TokenGrant grant = issue(*owner, client_id, false);
    if (!owner->rotate_refresh_tokens) return grant;
    bool promote = it->second.state == RefreshState::Pending;
    for (auto& [token, entry] : refresh_tokens_) {
        if (entry.user_id != owner->id || token == refresh_token) continue;
        if (entry.state == RefreshState::Pending || promote) entry.state = RefreshState::Dead;
    }
    it->second.state = RefreshState::Current;
    grant.refresh_token = new_refresh_token(owner->id, RefreshState::Pending, client_id);
    return grant;
}

User* World::authenticate(const std::string& access_token, AccessCheck& check) {
    auto it = access_tokens_.find(access_token);
    if (it == access_tokens_.end() || it->second.revoked) {
        check = AccessCheck::Invalid;
        return nullptr;
    }
    if (it->second.expires_at_real_ms <= real_ms()) {
        check = AccessCheck::Expired;
        return nullptr;
    }
    User* found = user(it->second.user_id);
    check = found ? AccessCheck::Ok : AccessCheck::Invalid;
    return found;
}

std::optional<std::string> World::user_of_access_token(const std::string& token) const {
    auto it = access_tokens_.find(token);
    if (it == access_tokens_.end()) return std::nullopt;
    return it->second.user_id;
}

std::optional<std::string> World::client_of_access_token(const std::string& token) const {
    auto it = access_tokens_.find(token);
    if (it == access_tokens_.end()) return std::nullopt;
    return it->second.client_id;
}

std::optional<std::string> World::scope_of_access_token(const std::string& token) const {
    auto it = access_tokens_.find(token);
    if (it == access_tokens_.end()) return std::nullopt;
    return it->second.scope;
}

std::optional<std::string> World::user_of_refresh_token(const std::string& token) const {
    auto it = refresh_tokens_.find(token);
    if (it == refresh_tokens_.end()) return std::nullopt;
    return it->second.user_id;
}

void World::expire_access_tokens(const std::string& user_id) {
    for (auto& [token, entry] : access_tokens_) {
        if (entry.user_id == user_id)
            entry.expires_at_real_ms = std::min(entry.expires_at_real_ms, real_ms());
    }
}

void World::revoke_refresh_tokens(const std::string& user_id) {
    for (auto& [token, entry] : refresh_tokens_) {
        if (entry.user_id == user_id) entry.state = RefreshState::Dead;
    }
}

void World::kill_tokens_of(const std::string& user_id) {
    revoke_refresh_tokens(user_id);
    for (auto& [token, entry] : access_tokens_) {
        if (entry.user_id == user_id) entry.revoked = true;
    }
}

std::vector<std::string> World::refresh_tokens(const std::string& user_id) const {
    std::vector<std::pair<int64_t, std::string>> live;
    for (const auto& [token, entry] : refresh_tokens_) {
        if (entry.user_id == user_id && entry.state != RefreshState::Dead) {
            live.emplace_back(entry.issued, token);
        }
    }
    std::sort(live.begin(), live.end());
    std::vector<std::string> tokens;
    for (auto& [issued, token] : live) tokens.push_back(token);
    return tokens;
}

size_t World::live_access_tokens(const std::string& user_id) const {
    size_t count = 0;
    for (const auto& [token, entry] : access_tokens_) {
        if (entry.user_id == user_id && !entry.revoked && entry.expires_at_real_ms > real_ms())
            ++count;
    }
    return count;
}

}  // namespace fake_spotify
