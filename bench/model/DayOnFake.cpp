#include "model/DayOnFake.h"

#include <map>

namespace s2m::bench {

namespace {
using Json = nlohmann::json;

// Spotify shows the next track a moment before the day model says (the model's switch delay),
// so a state may show a segment that starts up to this much after it was published.
constexpr int64_t kLookAheadMs = 500;
constexpr size_t kLookBack = 20;  // segments

std::string device_id(int device) {
    return "device" + std::to_string(device);
}
}  // namespace

DayOnFake::DayOnFake(const ListeningDay& day, std::string user_id)
    : day_(day), user_id_(std::move(user_id)) {}

std::string DayOnFake::track_uri(int track_number) const {
    return "spotify:track:" + user_id_ + "t" + std::to_string(track_number);
}

std::string DayOnFake::playlist_id() const {
    return user_id_ + "day";
}

Json DayOnFake::user_spec() const {
    std::map<int, int64_t> durations;  // track number -> duration
    for (const Segment& s : day_.segments()) {
        if (s.track_number > 0) durations[s.track_number] = s.duration_ms;
    }
    Json tracks = Json::array();
    Json order = Json::array();
    for (const auto& [number, duration] : durations) {
        tracks.push_back({{"uri", track_uri(number)},
                          {"name", "Track " + std::to_string(number)},
                          {"artist", "Artist"},
                          {"album", "Album " + user_id_},
                          {"duration_ms", duration}});
        order.push_back(track_uri(number));
    }
    Json devices = Json::array();
    const char* names[] = {"Phone", "Speaker", "Laptop"};
    const char* types[] = {"Smartphone", "Speaker", "Computer"};
    for (int d = 0; d < 3; ++d) {
        devices.push_back(
            {{"id", device_id(d)}, {"name", names[d]}, {"type", types[d]}, {"volume_percent", 50}});
    }
    return {{"id", user_id_},
            {"display_name", "Listener " + user_id_},
            {"refresh_token", "rt-" + user_id_},
            {"tracks", tracks},
            {"devices", devices},
            {"playlists", {{{"id", playlist_id()}, {"name", "All day"}, {"tracks", order}}}}};
}

Json DayOnFake::playback_of(const Segment& segment) const {
    if (segment.state == PlayerState::Idle) return {{"active", false}};
    // The whole segment each time: the fake then agrees with the day even if an earlier change
    // arrived a little late.
    return {{"context_uri", "spotify:playlist:" + playlist_id()},
            {"track_index", segment.track_number - 1},
            {"progress_ms", segment.position_at_start},
            {"is_playing", segment.state == PlayerState::Playing},
            {"device_id", device_id(segment.device)},
            {"volume", segment.volume},
            {"repeat", "off"}};
}

std::vector<PhoneAction> DayOnFake::actions() const {
    std::vector<PhoneAction> out;
    const auto& changes = day_.changes();
    for (size_t i = 0; i < changes.size(); ++i) {
        if (changes[i].kind == ChangeKind::TrackEnd) continue;
        const Segment& segment = day_.segments()[day_.change_segments()[i]];
        out.push_back(PhoneAction{changes[i].at_ms, i, playback_of(segment)});
    }
    return out;
}

bool DayOnFake::shows(const Json& state, const Segment& segment) const {
    if (state.value("state", "") != to_string(segment.state)) return false;
    if (segment.state == PlayerState::Idle) return true;
    const Json& track = state["track"];
    const Json& device = state["device"];
    return track.is_object() && track.value("uri", "") == track_uri(segment.track_number) &&
           device.is_object() && device.value("id", "") == device_id(segment.device) &&
           state["volume"] == segment.volume;
}

std::optional<size_t> DayOnFake::segment_shown(const Json& state, int64_t at_ms) const {
    size_t newest = day_.segment_at(at_ms + kLookAheadMs);
    for (size_t back = 0; back <= kLookBack && back <= newest; ++back) {
        if (shows(state, day_.segments()[newest - back])) return newest - back;
    }
    return std::nullopt;
}

}  // namespace s2m::bench
