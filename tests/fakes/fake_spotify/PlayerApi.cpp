#include "PlayerApi.h"

#include <algorithm>
#include <mutex>

#include "Playback.h"
#include "QueueApi.h"
#include "SpotifyJson.h"
#include "WebApi.h"

namespace fake_spotify {

namespace {

void require_premium(const User& user) {
    if (!user.premium())
        throw ApiError(403, "Player command failed: Premium required", "PREMIUM_REQUIRED");
}

void require_controllable(const Device& device) {
    if (device.is_restricted) {
        throw ApiError(403, "Player command failed: Restriction violated",
                       "DEVICE_NOT_CONTROLLABLE");
    }
}

[[noreturn]] void no_active_device() {
    throw ApiError(404, "Player command failed: No active device found", "NO_ACTIVE_DEVICE");
}

// The device a command acts on: `device_id` when given, else the active device. Only play,
// transfer and volume may name a device that is not the active one.
Device& target_device(User& user, const Call& call, bool any_device) {
    const Playback& pb = user.playback;
    auto device_id = call.param("device_id");
    if (device_id && !device_id->empty()) {
        Device* device = user.device(*device_id);
        if (!device) throw ApiError(404, "Device not found");
        require_controllable(*device);
        if (!any_device && (!pb.active || pb.device_id != device->id)) no_active_device();
        return *device;
    }
    Device* active = pb.active ? user.device(pb.device_id) : nullptr;
    if (!active) no_active_device();
    require_controllable(*active);
    return *active;
}

int64_t required_int(const Call& call, const std::string& key, int64_t min, int64_t max) {
    auto text = call.param(key);
    if (!text) throw ApiError(400, "Required parameter " + key + " missing");
    auto value = parse_int(*text);
    if (!value || *value < min || *value > max) throw ApiError(400, "Invalid " + key);
    return *value;
}

std::string playable_uri(const json& value) {
    auto uri = value.is_string() ? value.get<std::string>() : std::string();
    auto parts = split_uri(uri);
    if (!parts || (parts->first != "track" && parts->first != "episode")) {
        throw ApiError(400, "Invalid track uri: " + (value.is_string() ? uri : value.dump()));
    }
    return uri;
}

json parse_body(const Call& call) {
    if (std::all_of(call.req.body.begin(), call.req.body.end(), ::isspace)) return json::object();
    json body = json::parse(call.req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) throw ApiError(400, "Malformed json");
    return body;
}

size_t offset_index(const json& body, const std::vector<std::string>& order) {
    if (!body.contains("offset")) return 0;
    const json& offset = body["offset"];
    if (offset.is_object() && offset.contains("position")) {
        if (!offset["position"].is_number_integer()) throw ApiError(400, "Invalid offset");
        auto position = offset["position"].get<int64_t>();
        if (position < 0 || static_cast<size_t>(position) >= order.size()) {
            throw ApiError(400, "Offset out of range");
        }
        return static_cast<size_t>(position);
    }
    if (offset.is_object() && offset.contains("uri") && offset["uri"].is_string()) {
        auto it = std::find(order.begin(), order.end(), offset["uri"].get<std::string>());
        if (it == order.end()) throw ApiError(400, "Offset uri not found in context");
        return static_cast<size_t>(it - order.begin());
    }
    throw ApiError(400, "Invalid offset");
}

}  // namespace

void PlayerApi::register_routes(Router& router) {
    router.add("GET", "/v1/me/player", [this](Call& c) { state(c, true); });
    router.add("PUT", "/v1/me/player", [this](Call& c) { transfer(c); });
    router.add("GET", "/v1/me/player/currently-playing", [this](Call& c) { state(c, false); });
    router.add("GET", "/v1/me/player/devices", [this](Call& c) { devices(c); });
    router.add("GET", "/v1/me/player/queue", [this](Call& c) { answer_queue(world_, c); });
    router.add("PUT", "/v1/me/player/play", [this](Call& c) { play(c); });
    router.add("PUT", "/v1/me/player/pause", [this](Call& c) {
        command(c, {},
                [this](User& u, Device&, int64_t now) { set_playing(world_, u, false, now); });
    });
    router.add("POST", "/v1/me/player/next", [this](Call& c) {
        command(c, {}, [this](User& u, Device&, int64_t now) { skip_next(world_, u, now); });
    });
    router.add("POST", "/v1/me/player/previous", [this](Call& c) {
        command(c, {}, [this](User& u, Device&, int64_t now) { skip_previous(world_, u, now); });
    });
    router.add("PUT", "/v1/me/player/seek", [this](Call& c) {
        int64_t position = 0;
        command(
            c, [&] { position = required_int(c, "position_ms", 0, INT64_MAX / 2); },
            [&](User& u, Device&, int64_t now) { seek(world_, u, position, now); });
    });
    router.add("PUT", "/v1/me/player/volume", [this](Call& c) {
        int64_t volume = 0;
        auto set_volume = [&](User&, Device& device, int64_t) {
            if (!device.supports_volume) {
                throw ApiError(403, "Player command failed: Cannot control device volume",
                               "VOLUME_CONTROL_DISALLOW");
            }
            device.volume_percent = static_cast<int>(volume);
        };
        command(
            c, [&] { volume = required_int(c, "volume_percent", 0, 100); }, set_volume, true);
    });
    router.add("PUT", "/v1/me/player/shuffle", [this](Call& c) {
        auto state = c.param("state").value_or("");
        auto check = [&] {
            if (state != "true" && state != "false") throw ApiError(400, "Illegal shuffle state");
        };
        command(c, check, [&](User& u, Device&, int64_t) { u.playback.shuffle = state == "true"; });
    });
    router.add("PUT", "/v1/me/player/repeat", [this](Call& c) {
        auto state = c.param("state").value_or("");
        auto check = [&] {
            if (state != "track" && state != "context" && state != "off") {
                throw ApiError(400, "State must be one of track, context or off.");
            }
        };
        command(c, check, [&](User& u, Device&, int64_t) { u.playback.repeat = state; });
    });
    router.add("POST", "/v1/me/player/queue", [this](Call& c) {
        std::string uri;
        command(
            c, [&] { uri = playable_uri(json(c.param("uri").value_or(""))); },
            [&](User& u, Device&, int64_t) {
                u.playback.queue.push_back(world_.ensure_item(uri).uri);
            });
    });
}

void PlayerApi::with_user(Call& call, const std::function<void(User&, int64_t)>& body) {
    std::lock_guard lock(world_.mutex());
    User& user = require_user(world_, call);
    int64_t now = world_.now_ms();
    settle(world_, user, now);
    body(user, now);
}

void PlayerApi::state(Call& call, bool full) {
    with_user(call, [&](User& user, int64_t) {
        if (!user.playback.active) return send_no_content(call.res);
        auto types = split(call.param("additional_types").value_or(""), ',');
        bool episodes = std::find(types.begin(), types.end(), "episode") != types.end();
        send_json(call.res, 200, playing_json(world_, user, call.base_url, full, episodes));
    });
}

void PlayerApi::devices(Call& call) {
    with_user(call, [&](User& user, int64_t) {
        json list = json::array();
        for (const auto& device : user.devices) {
            bool active = user.playback.active && user.playback.device_id == device.id;
            list.push_back(device_json(device, active));
        }
        send_json(call.res, 200, {{"devices", list}});
    });
}

void PlayerApi::transfer(Call& call) {
    with_user(call, [&](User& user, int64_t now) {
        json body = parse_body(call);
        auto ids = body.value("device_ids", json());
        if (!ids.is_array() || ids.empty())
            throw ApiError(400, "Required field device_ids missing");
        if (ids.size() > 1) throw ApiError(400, "Only one device_id is supported");
        if (!ids[0].is_string()) throw ApiError(400, "Invalid device_ids");
        if (body.contains("play") && !body["play"].is_boolean())
            throw ApiError(400, "Invalid play");
        require_premium(user);
        Device* device = user.device(ids[0].get<std::string>());
        if (!device) throw ApiError(404, "Device not found");
        require_controllable(*device);
        ensure_session(world_, user, now);
        Playback& pb = user.playback;
        pb.active = true;
        pb.device_id = device->id;
        if (body.value("play", false)) set_playing(world_, user, true, now);
        pb.changed_ms = now;
        send_no_content(call.res);
    });
}

void PlayerApi::play(Call& call) {
    with_user(call, [&](User& user, int64_t now) {
        json body = parse_body(call);
        if (body.contains("context_uri") && body.contains("uris")) {
            throw ApiError(400, "Only one of context_uri or uris can be specified");
        }
        if (body.contains("position_ms") &&
            (!body["position_ms"].is_number_integer() || body["position_ms"].get<int64_t>() < 0)) {
            throw ApiError(400, "Invalid position_ms");
        }
        int64_t position = body.value("position_ms", int64_t{0});
        require_premium(user);
        Device& device = target_device(user, call, true);
        if (body.contains("context_uri")) {
            std::string uri =
                body["context_uri"].is_string() ? body["context_uri"].get<std::string>() : "";
            if (!split_uri(uri) && !uri.ends_with(":collection") &&
                !uri.ends_with(":collection:your-episodes"))
                throw ApiError(400, "Invalid context uri");
            auto ctx = world_.context(user, uri);
            if (!ctx || ctx->items.empty()) throw ApiError(404, "Context not found");
            load(world_, user, uri, ctx->items, offset_index(body, ctx->items), position, now);
        } else if (body.contains("uris")) {
            if (!body["uris"].is_array() || body["uris"].empty())
                throw ApiError(400, "Invalid uris");
            std::vector<std::string> uris;
            for (const auto& uri : body["uris"])
                uris.push_back(world_.ensure_item(playable_uri(uri)).uri);
            load(world_, user, "", uris, offset_index(body, uris), position, now);
        } else {
            if (body.contains("offset")) throw ApiError(400, "Offset needs context_uri or uris");
            ensure_session(world_, user, now);
            user.playback.active = true;
            set_playing(world_, user, true, now);
            if (position > 0) seek(world_, user, position, now);
        }
        user.playback.device_id = device.id;
        send_no_content(call.res);
    });
}

void PlayerApi::command(Call& call, const std::function<void()>& validate,
                        const std::function<void(User&, Device&, int64_t)>& action,
                        bool any_device) {
    with_user(call, [&](User& user, int64_t now) {
        if (validate) validate();
        require_premium(user);
        Device& device = target_device(user, call, any_device);
        action(user, device, now);
        send_no_content(call.res);
    });
}

}  // namespace fake_spotify
