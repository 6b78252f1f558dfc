#include "core/PlayerSnapshot.h"

#include "core/JsonFields.h"

namespace s2m {

namespace {

constexpr int kFormatVersion = 1;

std::optional<PlayerState> state_named(const std::string& name) {
    if (name == "playing") return PlayerState::Playing;
    if (name == "paused") return PlayerState::Paused;
    if (name == "idle") return PlayerState::Idle;
    return std::nullopt;
}

template <typename T>
Json or_null(const std::optional<T>& value) {
    return value ? Json(*value) : Json(nullptr);
}

}  // namespace

bool is_snapshot_name(std::string_view name) {
    if (name.empty() || name.size() > kMaxSnapshotNameBytes) return false;
    for (char c : name) {
        bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!allowed) return false;
    }
    return true;
}

PlayerSnapshot snapshot_of(const PlaybackState& state) {
    PlayerSnapshot snapshot;
    // Without an item there is nothing to start again: such a player counts as idle.
    bool has_item = state.track && !state.track->uri.empty();
    snapshot.state = has_item ? state.state : PlayerState::Idle;
    if (snapshot.state == PlayerState::Idle) return snapshot;
    if (state.device) {
        snapshot.device_id = state.device->id;
        snapshot.device_name = state.device->name;
    }
    if (state.context && !state.context->uri.empty()) snapshot.context_uri = state.context->uri;
    snapshot.item_uri = state.track->uri;
    snapshot.position_ms = state.position_ms.value_or(0);
    snapshot.volume = state.volume;
    if (!snapshot.volume && state.device) snapshot.volume = state.device->volume;
    snapshot.shuffle = state.shuffle;
    snapshot.repeat = state.repeat;
    return snapshot;
}

Json to_json(const PlayerSnapshot& s) {
    return Json{{"version", kFormatVersion},
                {"state", to_string(s.state)},
                {"device_id", or_null(s.device_id)},
                {"device_name", s.device_name},
                {"context_uri", or_null(s.context_uri)},
                {"item_uri", or_null(s.item_uri)},
                {"position_ms", s.position_ms},
                {"volume", or_null(s.volume)},
                {"shuffle", or_null(s.shuffle)},
                {"repeat", or_null(s.repeat)},
                {"taken_at_ms", s.taken_at_ms}};
}

Result<PlayerSnapshot> snapshot_from_json(const Json& json) {
    auto wrong = [](std::string what) {
        return Error{ErrorKind::BadResponse, "not a snapshot: " + std::move(what)};
    };
    if (!json.is_object()) return wrong("the file holds " + std::string(json_type_name(json)));
    try {
        if (opt_int(json, "version", "") != kFormatVersion) return wrong("unknown version");
        PlayerSnapshot s;
        auto state = state_named(opt_string(json, "state", "").value_or(""));
        if (!state) return wrong("no state playing, paused or idle");
        s.state = *state;
        s.device_id = opt_string(json, "device_id", "");
        s.device_name = opt_string(json, "device_name", "").value_or("");
        s.context_uri = opt_string(json, "context_uri", "");
        s.item_uri = opt_string(json, "item_uri", "");
        s.position_ms = opt_int(json, "position_ms", "").value_or(0);
        if (auto volume = opt_int(json, "volume", "")) {
            if (*volume < 0 || *volume > 100) return wrong("volume out of range");
            s.volume = static_cast<int>(*volume);
        }
        s.shuffle = opt_bool(json, "shuffle", "");
        s.repeat = opt_string(json, "repeat", "");
        s.taken_at_ms = opt_int(json, "taken_at_ms", "").value_or(0);
        if (s.state != PlayerState::Idle && !s.item_uri) return wrong("no item");
        if (s.position_ms < 0) return wrong("negative position");
        return s;
    } catch (const FieldError& e) {
        return wrong(e.what());
    }
}

}  // namespace s2m
