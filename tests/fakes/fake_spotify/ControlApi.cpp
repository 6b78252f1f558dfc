#include "ControlApi.h"

#include <algorithm>
#include <mutex>

#include "AuthorizeRequest.h"
#include "Playback.h"
#include "SpotifyJson.h"
#include "UserSpec.h"

namespace fake_spotify {

json parse_json_body(const Call& call) {
    if (call.req.body.empty()) return json::object();
    json body = json::parse(call.req.body, nullptr, false);
    if (body.is_discarded()) throw ApiError(400, "Malformed json");
    return body;
}

void ControlApi::register_routes(Router& router) {
    router.add("GET", "/_control/health", [](Call& c) { send_json(c.res, 200, {{"ok", true}}); });
    register_user_routes(router);
    register_app_routes(router);

    router.add("POST", "/_control/faults", [this](Call& c) {
        send_json(c.res, 200, {{"id", faults_.add(parse_json_body(c))}});
    });
    router.add("GET", "/_control/faults",
               [this](Call& c) { send_json(c.res, 200, faults_.list()); });
    router.add("DELETE", "/_control/faults", [this](Call& c) {
        faults_.clear();
        send_json(c.res, 200, {{"ok", true}});
    });
    router.add("DELETE", "/_control/faults/([0-9]+)", [this](Call& c) {
        if (!faults_.remove(parse_int(c.group(0)).value_or(0)))
            throw ApiError(404, "No such fault");
        send_json(c.res, 200, {{"ok", true}});
    });

    router.add("GET", "/_control/requests", [this](Call& c) {
        auto since = parse_int(c.param("since").value_or("0"));
        if (!since) throw ApiError(400, "Invalid since");
        send_json(c.res, 200, log_.since(*since));
    });
    router.add("DELETE", "/_control/requests", [this](Call& c) {
        log_.clear();
        send_json(c.res, 200, {{"ok", true}});
    });

    auto clock = [this](Call& c) {
        json body = parse_json_body(c);
        std::lock_guard lock(world_.mutex());
        if (body.contains("speed")) {
            if (!body["speed"].is_number() || body["speed"].get<double>() <= 0) {
                throw ApiError(400, "speed must be a number > 0");
            }
            world_.set_speed(body["speed"].get<double>());
        }
        if (body.contains("advance_ms")) {
            if (!body["advance_ms"].is_number_integer() || body["advance_ms"].get<int64_t>() < 0) {
                throw ApiError(400, "advance_ms must be an integer >= 0");
            }
            world_.advance(body["advance_ms"].get<int64_t>());
        }
        send_json(c.res, 200, {{"now_ms", world_.now_ms()}, {"speed", world_.speed()}});
    };
    router.add("GET", "/_control/clock", clock);
    router.add("POST", "/_control/clock", clock);
}

void ControlApi::register_user_routes(Router& router) {
    router.add("POST", "/_control/users", [this](Call& c) {
        json spec = parse_json_body(c);
        std::lock_guard lock(world_.mutex());
        send_json(c.res, 200, user_state(create_user(world_, spec), c.base_url));
    });
    router.add("GET", "/_control/users", [this](Call& c) {
        std::lock_guard lock(world_.mutex());
        json ids = json::array();
        for (const auto& [id, user] : world_.users()) ids.push_back(id);
        send_json(c.res, 200, ids);
    });
    router.add("GET", "/_control/users/([^/]+)",
               [this](Call& c) { with_user(c, [](User&, const json&) {}); });
    router.add("POST", "/_control/users/([^/]+)/playback", [this](Call& c) {
        with_user(c, [this](User& u, const json& body) { apply_playback_change(world_, u, body); });
    });
    router.add("PUT", "/_control/users/([^/]+)/devices", [this](Call& c) {
        with_user(c, [](User& u, const json& body) {
            u.devices = parse_devices(body.is_object() && body.contains("devices") ? body["devices"]
                                                                                   : body);
            // A device that disappears takes the playback on it with it, as on Spotify.
            if (u.playback.active && !u.device(u.playback.device_id)) {
                u.playback.active = false;
                u.playback.is_playing = false;
            }
        });
    });
    router.add("POST", "/_control/users/([^/]+)/profile", [this](Call& c) {
        with_user(c, [](User& u, const json& body) {
            if (!body.is_object()) throw ApiError(400, "profile must be a JSON object");
            for (const auto& [key, value] : body.items()) {
                if (key == "product") {
                    u.product = value.get<std::string>();
                    if (u.product != "premium" && u.product != "free" && u.product != "open") {
                        throw ApiError(400, "product must be premium, free or open");
                    }
                } else if (key == "display_name") {
                    u.display_name = value.get<std::string>();
                } else if (key == "rotate_refresh_tokens") {
                    u.rotate_refresh_tokens = value.get<bool>();
                } else if (key == "token_lifetime_s") {
                    u.token_lifetime_s = std::max<int64_t>(1, value.get<int64_t>());
                } else if (key == "scope") {
                    u.scope = value.get<std::string>();
                } else {
                    throw ApiError(400, "unknown key '" + key + "' in profile");
                }
            }
        });
    });
    router.add("POST", "/_control/users/([^/]+)/revoke", [this](Call& c) {
        with_user(c, [this](User& u, const json&) { world_.revoke_refresh_tokens(u.id); });
    });
    router.add("POST", "/_control/users/([^/]+)/expire_tokens", [this](Call& c) {
        with_user(c, [this](User& u, const json&) { world_.expire_access_tokens(u.id); });
    });
}

namespace {

json app_json(const ClientApp& app) {
    return {{"client_id", app.id},
            {"client_secret", app.secret ? json(*app.secret) : json(nullptr)},
            {"redirect_uris", app.redirect_uris}};
}

// Replaces the whole app, so a test states every redirect URI it needs (its own port).
ClientApp parse_app(const json& body) {
    if (!body.is_object()) throw ApiError(400, "app must be a JSON object");
    for (const auto& [key, value] : body.items()) {
        if (key != "client_id" && key != "client_secret" && key != "redirect_uris") {
            throw ApiError(400, "unknown key '" + key +
                                    "' in app (allowed: client_id, client_secret, redirect_uris)");
        }
    }
    ClientApp app;
    if (!body.contains("client_id") || !body["client_id"].is_string() ||
        body["client_id"].get<std::string>().empty()) {
        throw ApiError(400, "app.client_id must be a non-empty string");
    }
    app.id = body["client_id"].get<std::string>();
    if (body.contains("client_secret") && !body["client_secret"].is_null()) {
        if (!body["client_secret"].is_string() || body["client_secret"].get<std::string>().empty())
            throw ApiError(400, "app.client_secret must be null or a non-empty string");
        app.secret = body["client_secret"].get<std::string>();
    }
    const json uris = body.value("redirect_uris", json::array());
    if (!uris.is_array()) throw ApiError(400, "app.redirect_uris must be an array of strings");
    for (const auto& uri : uris) {
        if (!uri.is_string()) throw ApiError(400, "app.redirect_uris must be an array of strings");
        if (auto problem = redirect_uri_problem(uri.get<std::string>())) {
            throw ApiError(400, "redirect URI " + uri.get<std::string>() + " " + *problem);
        }
        app.redirect_uris.push_back(uri.get<std::string>());
    }
    return app;
}

}  // namespace

void ControlApi::register_app_routes(Router& router) {
    router.add("POST", "/_control/apps", [this](Call& c) {
        ClientApp app = parse_app(parse_json_body(c));
        std::lock_guard lock(world_.mutex());
        world_.add_client(app);
        send_json(c.res, 200, app_json(app));
    });
    router.add("GET", "/_control/apps", [this](Call& c) {
        std::lock_guard lock(world_.mutex());
        json apps = json::array();
        for (const auto& [id, app] : world_.clients()) apps.push_back(app_json(app));
        send_json(c.res, 200, apps);
    });
}

void ControlApi::with_user(Call& call, const std::function<void(User&, const json&)>& change) {
    json body = parse_json_body(call);
    std::lock_guard lock(world_.mutex());
    User* user = world_.user(call.group(0));
    if (!user) throw ApiError(404, "No such user: " + call.group(0));
    settle(world_, *user, world_.now_ms());
    change(*user, body);
    send_json(call.res, 200, user_state(*user, call.base_url));
}

json ControlApi::user_state(User& user, const std::string& base) {
    settle(world_, user, world_.now_ms());
    const Playback& pb = user.playback;
    json devices = json::array();
    for (const auto& d : user.devices)
        devices.push_back(device_json(d, pb.active && pb.device_id == d.id));
    json playlists = json::array();
    for (const auto& uri : user.playlists) {
        if (auto ctx = world_.context(user, uri)) {
            playlists.push_back({{"id", ctx->id},
                                 {"uri", ctx->uri},
                                 {"name", ctx->name},
                                 {"owner", ctx->owner_name},
                                 {"tracks", ctx->items}});
        }
    }
    json playback = nullptr;
    if (!pb.current.empty()) {
        const Item& item = current_item(world_, user);
        const Device* device = user.device(pb.device_id);
        playback = {{"active", pb.active},
                    {"is_playing", pb.is_playing},
                    {"device_id", pb.device_id},
                    {"context_uri", pb.context_uri.empty() ? json(nullptr) : json(pb.context_uri)},
                    {"items", pb.order},
                    {"index", pb.index},
                    {"item_uri", item.uri},
                    {"item_name", item.name},
                    {"progress_ms", pb.progress_ms},
                    {"duration_ms", item.duration_ms},
                    {"shuffle", pb.shuffle},
                    {"repeat", pb.repeat},
                    {"volume", device ? json(device->volume_percent) : json(nullptr)},
                    {"queue", pb.queue},
                    {"timestamp", pb.changed_ms}};
    }
    auto refresh_tokens = world_.refresh_tokens(user.id);
    return {{"id", user.id},
            {"display_name", user.display_name},
            {"product", user.product},
            {"scope", user.scope},
            {"rotate_refresh_tokens", user.rotate_refresh_tokens},
            {"token_lifetime_s", user.token_lifetime_s},
            {"refresh_token", refresh_tokens.empty() ? json(nullptr) : json(refresh_tokens.back())},
            {"refresh_tokens", refresh_tokens},
            {"live_access_tokens", world_.live_access_tokens(user.id)},
            {"devices", devices},
            {"playlists", playlists},
            {"liked", user.liked},
            {"saved_episodes", user.saved_episodes},
            {"playback", playback},
            {"player", pb.active ? playing_json(world_, user, base, true, true) : json(nullptr)}};
}

}  // namespace fake_spotify
