// Bridge: the opt-in announcement for the mqtt_media_player custom component (SPEC §5,
// homeassistant.media_player) and the plain values it reads below <base>/<account>/media/.
// What the component expects, and why the values look as they do, is in
// core/MediaPlayerDiscovery.h. Everything is cached per account and published only when it
// changes; the cover is downloaded on a worker because the component wants the image itself.
#include <spdlog/spdlog.h>

#include "app/Bridge.h"
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

bool Bridge::media_player_enabled() const {
    return config_.homeassistant.discovery && config_.homeassistant.media_player;
}

void Bridge::warn_about_media_player_config() const {
    if (!config_.homeassistant.media_player) return;
    if (!config_.homeassistant.discovery) {
        spdlog::warn(
            "homeassistant.media_player is on but homeassistant.discovery is off: nothing is "
            "announced for the mqtt_media_player component either");
    } else if (config_.homeassistant.discovery_prefix != kMediaPlayerPrefix) {
        spdlog::warn(
            "homeassistant.media_player: the mqtt_media_player component only listens below "
            "\"{}/\", so with discovery_prefix \"{}\" it will not see the players",
            kMediaPlayerPrefix, config_.homeassistant.discovery_prefix);
    }
}

void Bridge::publish_media_player(Account& account) {
    if (!media_player_enabled()) return;
    MediaPlayerInput input;
    input.prefix = config_.homeassistant.discovery_prefix;
    input.base_topic = config_.mqtt.base_topic;
    input.account = account.name;
    input.version = SPOTIFY2MQTT_VERSION;
    if (account.record) {
        input.display_name = account.record->display_name;
        input.premium = account.record->premium;
    }
    std::string announcement = media_player_discovery_payload(input).dump();
    if (announcement != account.published_media_discovery) {
        account.published_media_discovery = announcement;
        publish(media_player_discovery_topic(input.prefix, account.name), announcement, true);
    }

    bool online = !account.availability || account.availability->online;
    // Before the first poll there is nothing to show yet (an offline account shows "off").
    if (!account.published && online) return;
    nlohmann::json state =
        account.published ? state_payload(*account.published) : nlohmann::json::object();
    auto values = media_player_topics(config_.mqtt.base_topic, account.name,
                                      media_player_states(state, online));
    for (const auto& [topic, payload] : values) {
        std::string& last = account.published_media[topic];
        if (last == payload && !account.media_forced) continue;
        last = payload;
        publish(topic, payload, true);
    }
    account.media_forced = false;

    std::optional<std::string> art_url = online ? media_player_albumart_url(state) : std::nullopt;
    if (art_url == account.media_art_url) return;
    account.media_art_url = art_url;
    if (art_url) {
        fetch_album_art(account.name, *art_url);
    } else {
        publish(media_player_state_base(config_.mqtt.base_topic, account.name) + "/albumart", "",
                true);
    }
}

// The cover as bytes, on a worker; the answer is published only if it is still the cover of the
// account's current track (a skip meanwhile starts another download).
void Bridge::fetch_album_art(const std::string& name, const std::string& url) {
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
            auto it = accounts_.find(name);
            if (it == accounts_.end() || it->second.media_art_url != url) return;  // outdated
            if (!problem.empty()) {
                spdlog::warn("{}: cannot download the cover {} for the media player: {}", name, url,
                             problem);
            }
            // On failure the old cover is cleared rather than shown next to another track.
            publish(media_player_state_base(config_.mqtt.base_topic, name) + "/albumart",
                    media_player_albumart_payload(bytes), true);
        });
    });
}

// After a (re)connect or HA's birth message: everything again, the cover downloaded again.
void Bridge::force_media_player(Account& account) {
    account.published_media_discovery.clear();
    account.media_forced = true;
    account.media_art_url.reset();
    publish_media_player(account);
}

void Bridge::clear_media_player(const std::string& name) {
    if (!media_player_enabled()) return;
    publish(media_player_discovery_topic(config_.homeassistant.discovery_prefix, name), "", true);
    const std::string base = media_player_state_base(config_.mqtt.base_topic, name);
    for (const std::string& suffix : media_player_suffixes())
        publish(base + "/" + suffix, "", true);
}

}  // namespace s2m
