#include "core/StatePayload.h"

#include <ctime>

namespace s2m {

using Json = nlohmann::json;

const char* to_string(PlayerState state) {
    switch (state) {
        case PlayerState::Playing:
            return "playing";
        case PlayerState::Paused:
            return "paused";
        case PlayerState::Idle:
            return "idle";
    }
    return "idle";
}

std::string iso8601_utc(int64_t unix_ms) {
    std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[80];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(unix_ms % 1000));
    return buffer;
}

namespace {
template <typename T>
Json or_null(const std::optional<T>& value) {
    return value ? Json(*value) : Json(nullptr);
}
}  // namespace

Json state_payload(const PlaybackState& s, std::optional<bool> liked) {
    Json track = nullptr;
    if (s.track) {
        track = {{"uri", s.track->uri},
                 {"name", s.track->name},
                 {"artists", s.track->artists},
                 {"album", s.track->album},
                 {"album_art", or_null(s.track->album_art)},
                 {"duration_ms", or_null(s.track->duration_ms)},
                 {"type", s.track->type}};
    }
    Json device = nullptr;
    if (s.device) {
        device = {{"id", or_null(s.device->id)},
                  {"name", s.device->name},
                  {"type", s.device->type},
                  {"supports_volume", s.device->supports_volume}};
    }
    Json context = nullptr;
    if (s.context) {
        context = {
            {"uri", s.context->uri}, {"type", s.context->type}, {"name", or_null(s.context->name)}};
    }
    bool idle = s.state == PlayerState::Idle;
    return Json{
        {"state", to_string(s.state)},
        {"track", track},
        {"position_ms", or_null(s.position_ms)},
        {"position_updated_at",
         idle || !s.position_ms ? Json(nullptr) : Json(iso8601_utc(s.position_updated_at_ms))},
        {"volume", or_null(s.volume)},
        {"shuffle", or_null(s.shuffle)},
        {"repeat", or_null(s.repeat)},
        {"device", device},
        {"context", context},
        {"premium", or_null(s.premium)},
        {"liked", idle ? Json(nullptr) : or_null(liked)}};
}

Json devices_payload(const std::vector<Device>& devices) {
    Json list = Json::array();
    for (const Device& d : devices) {
        list.push_back({{"id", or_null(d.id)},
                        {"name", d.name},
                        {"type", d.type},
                        {"is_active", d.is_active},
                        {"is_restricted", d.is_restricted},
                        {"supports_volume", d.supports_volume},
                        {"volume", or_null(d.volume)}});
    }
    return list;
}

Json playlists_payload(const std::vector<Playlist>& playlists) {
    Json list = Json::array();
    for (const Playlist& p : playlists) {
        list.push_back({{"uri", p.uri},
                        {"name", p.name},
                        {"owner", or_null(p.owner)},
                        {"tracks", or_null(p.tracks)}});
    }
    return list;
}

Json availability_payload(const Availability& a) {
    Json payload{{"state", a.online ? "online" : "offline"}};
    // Online with a reason: it works, but something needs a person (e.g. token_not_saved).
    if (!a.online || !a.reason.empty()) payload["reason"] = a.reason;
    if (!a.message.empty()) payload["message"] = a.message;
    if (a.until_ms) payload["until"] = iso8601_utc(*a.until_ms);
    return payload;
}

}  // namespace s2m
