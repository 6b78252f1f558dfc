#include "app/modules/MediaPlayer.h"

#include <spdlog/spdlog.h>

#include "core/MediaPlayerDiscovery.h"
#include "core/StatePayload.h"

namespace s2m {

namespace {
// Spotify's largest covers are 640×640 JPEGs of a few hundred KB; anything far bigger is not a
// cover, and it would be sent to every subscriber as one retained message.
constexpr size_t kMaxAlbumArtBytes = 1024 * 1024;
constexpr long kAlbumArtTimeoutMs = 10000;
// The only prefix the component subscribes to (it ignores HA's configurable one).
constexpr const char* kMediaPlayerPrefix = "homeassistant";
}  // namespace

void MediaPlayer::warn_about_config(const Config& config) {
    if (!config.homeassistant.media_player) return;
    if (!config.homeassistant.discovery) {
        spdlog::warn(
            "homeassistant.media_player is on but homeassistant.discovery is off: nothing is "
            "announced for the mqtt_media_player component either");
    } else if (config.homeassistant.discovery_prefix != kMediaPlayerPrefix) {
        spdlog::warn(
            "homeassistant.media_player: the mqtt_media_player component only listens below "
            "\"{}/\", so with discovery_prefix \"{}\" it will not see the players",
            kMediaPlayerPrefix, config.homeassistant.discovery_prefix);
    }
}

void MediaPlayer::publish(Account& account) {
    const Config& config = core_.config();
    const Seen& seen = state_.seen(account.name);
    Shown& shown = shown_[account.name];
    auto input = announcement_input<MediaPlayerInput>(config, account);
    std::string announcement = media_player_discovery_payload(input).dump();
    if (announcement != shown.discovery) {
        shown.discovery = announcement;
        core_.publish(media_player_discovery_topic(input.prefix, account.name), announcement, true);
    }

    bool online = !account.availability || account.availability->online;
    // Before the first poll there is nothing to show yet (an offline account shows "off").
    if (!seen.published && online) return;
    nlohmann::json state =
        seen.published ? state_payload(*seen.published) : nlohmann::json::object();
    auto values = media_player_topics(config.mqtt.base_topic, account.name,
                                      media_player_states(state, online));
    for (const auto& [topic, payload] : values) {
        std::string& last = shown.values[topic];
        if (last == payload && !shown.forced) continue;
        last = payload;
        core_.publish(topic, payload, true);
    }
    shown.forced = false;

    std::optional<std::string> art_url = online ? media_player_albumart_url(state) : std::nullopt;
    if (art_url == shown.art_url) return;
    shown.art_url = art_url;
    if (art_url) {
        fetch_album_art(account.name, *art_url);
    } else {
        core_.publish(media_player_state_base(config.mqtt.base_topic, account.name) + "/albumart",
                      "", true);
    }
}

// The cover as bytes, on a worker; the answer is published only if it is still the cover of the
// account's current track (a skip meanwhile starts another download).
void MediaPlayer::fetch_album_art(const std::string& name, const std::string& url) {
    // The account's own lane: a cover host that hangs holds back only this account's covers.
    workers_.submit("cover/" + name, [this, loop = &loop_, name, url](HttpClient& http) {
        HttpRequest request;
        request.url = url;
        request.timeout_ms = kAlbumArtTimeoutMs;
        // No Authorization header: covers are public, and a token must never leave for a host
        // that is not Spotify's API.
        auto response = http.send(request);
        std::string bytes;
        std::string problem;
        if (!response) {
            problem = response.error().message;
        } else if (response.value().status != 200) {
            problem = "HTTP " + std::to_string(response.value().status);
        } else if (response.value().body.empty()) {
            problem = "an empty answer";
        } else if (response.value().body.size() > kMaxAlbumArtBytes) {
            problem = std::to_string(response.value().body.size()) + " bytes (at most " +
                      std::to_string(kMaxAlbumArtBytes) + ")";
        } else {
            bytes = std::move(response.value().body);
        }
        loop->post([this, name, url, bytes = std::move(bytes), problem = std::move(problem)] {
            auto it = shown_.find(name);
            if (it == shown_.end() || it->second.art_url != url) return;  // outdated
            if (!problem.empty()) {
                spdlog::warn("{}: cannot download the cover {} for the media player: {}", name, url,
                             problem);
            }
            // On failure the old cover is cleared rather than shown next to another track.
            core_.publish(
                media_player_state_base(core_.config().mqtt.base_topic, name) + "/albumart",
                media_player_albumart_payload(bytes), true);
        });
    });
}

// After a (re)connect or HA's birth message: everything again, the cover downloaded again.
void MediaPlayer::force(Account& account) {
    Shown& shown = shown_[account.name];
    shown.discovery.clear();
    shown.forced = true;
    shown.art_url.reset();
    publish(account);
}

void MediaPlayer::clear(const std::string& name) {
    shown_.erase(name);  // a cover still downloading is not published
    const Config& config = core_.config();
    core_.publish(media_player_discovery_topic(config.homeassistant.discovery_prefix, name), "",
                  true);
    const std::string base = media_player_state_base(config.mqtt.base_topic, name);
    for (const std::string& suffix : media_player_suffixes())
        core_.publish(base + "/" + suffix, "", true);
}

}  // namespace s2m
