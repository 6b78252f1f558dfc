#include "spotify/SpotifyJson.h"

#include <algorithm>

#include "core/Encoding.h"
#include "core/JsonFields.h"
#include "spotify/JsonReading.h"

namespace s2m {

using namespace json_reading;

namespace {

// An episode belongs to a show, a chapter to an audiobook (docs/mqtt.md#account-state): the
// album-like field is its name, the artist-like field its publisher (a show) or its authors (an
// audiobook), the cover the item's own image, else its parent's.
void read_spoken_word(const Json& item, Track& track) {
    bool chapter = track.type == "chapter";
    const char* key = chapter ? "audiobook" : "show";
    std::string path = std::string("item.") + key;
    if (const Json* parent = opt_object(item, key, "item")) {
        track.album = opt_string(*parent, "name", path).value_or("");
        if (chapter) track.artists = names_in(*parent, "authors", path);
        if (track.artists.empty()) {
            auto publisher = opt_string(*parent, "publisher", path);
            track.artists.push_back(publisher && !publisher->empty() ? *publisher : track.album);
        }
        track.album_art = first_image(*parent, path);
    }
    if (auto own = first_image(item, "item")) track.album_art = own;
}

Track read_track(const Json& item) {
    Track track;
    track.type = opt_string(item, "type", "item").value_or("track");
    track.uri = opt_string(item, "uri", "item").value_or("");
    track.name = opt_string(item, "name", "item").value_or("");
    track.duration_ms = opt_int(item, "duration_ms", "item");
    // The reference's chapters are episodes (type "episode", spotify:episode: URIs) that belong
    // to an audiobook; a spotify:chapter: URI or a "chapter" type is read as one too.
    if (track.uri.starts_with("spotify:chapter:") || opt_object(item, "audiobook", "item")) {
        track.type = "chapter";
    }
    if (track.type == "episode" || track.type == "chapter") {
        read_spoken_word(item, track);
        return track;
    }
    track.artists = names_in(item, "artists", "item");
    if (const Json* album = opt_object(item, "album", "item")) {
        track.album = opt_string(*album, "name", "item.album").value_or("");
        track.album_art = first_image(*album, "item.album");
    }
    return track;
}

}  // namespace

// The mapping of a TrackObject or EpisodeObject, for the other mapping files (JsonReading.h).
Track json_reading::read_item(const Json& item) {
    return read_track(item);
}

namespace {

Device read_device(const Json& object, const std::string& path) {
    Device device;
    device.id = opt_string(object, "id", path);
    device.name = opt_string(object, "name", path).value_or("");
    device.type = opt_string(object, "type", path).value_or("");
    device.is_active = opt_bool(object, "is_active", path).value_or(false);
    device.is_restricted = opt_bool(object, "is_restricted", path).value_or(false);
    device.supports_volume = opt_bool(object, "supports_volume", path).value_or(false);
    if (auto volume = opt_int(object, "volume_percent", path)) {
        device.volume = static_cast<int>(std::clamp<int64_t>(*volume, 0, 100));
    }
    return device;
}

// URIs look like spotify:<type>:<id>, or spotify:user:<id>:collection for liked songs and
// spotify:user:<id>:collection:your-episodes for the saved episodes.
std::string context_type_of(const std::string& uri, const std::optional<std::string>& given) {
    if (uri.size() > 11 && uri.ends_with(":collection")) return "collection";
    if (uri.ends_with(":collection:your-episodes")) return "collection";
    if (uri.starts_with("spotify:audiobook:")) return "audiobook";
    return given.value_or("");
}

PlaybackState read_player(const Json& root, int64_t now_ms) {
    PlaybackState state;
    bool playing = opt_bool(root, "is_playing", "").value_or(false);
    state.state = playing ? PlayerState::Playing : PlayerState::Paused;
    if (const Json* item = opt_object(root, "item", "")) state.track = read_track(*item);
    state.position_ms = opt_int(root, "progress_ms", "");
    state.position_updated_at_ms = now_ms;
    state.shuffle = opt_bool(root, "shuffle_state", "");
    state.repeat = opt_string(root, "repeat_state", "");
    if (const Json* device = opt_object(root, "device", "")) {
        state.device = read_device(*device, "device");
        state.volume = state.device->volume;
    }
    if (const Json* context = opt_object(root, "context", "")) {
        PlaybackContext ctx;
        ctx.uri = opt_string(*context, "uri", "context").value_or("");
        ctx.type = context_type_of(ctx.uri, opt_string(*context, "type", "context"));
        if (ctx.type == "collection") {
            ctx.name = ctx.uri.ends_with(":your-episodes") ? "Your Episodes" : "Liked Songs";
        }
        if (!ctx.uri.empty()) state.context = ctx;
    }
    // Spotify plays an audiobook's chapters as episodes (the player reports tracks and episodes
    // only); within an audiobook they are its chapters.
    if (state.track && state.track->type == "episode" && state.context &&
        state.context->type == "audiobook") {
        state.track->type = "chapter";
    }
    return state;
}

}  // namespace

Result<PlaybackState> parse_player(int http_status, std::string_view body, int64_t now_ms) {
    if (http_status == 204 || (http_status == 200 && body.empty())) {
        PlaybackState idle;
        idle.position_updated_at_ms = now_ms;
        return idle;
    }
    return map_body<PlaybackState>(body,
                                   [&](const Json& root) { return read_player(root, now_ms); });
}

Result<std::vector<Device>> parse_devices(std::string_view body) {
    return map_body<std::vector<Device>>(body, [](const Json& root) {
        std::vector<Device> devices;
        const Json* list = opt_array(root, "devices", "");
        if (!list) throw FieldError("devices: missing");
        for (size_t i = 0; i < list->size(); ++i) {
            devices.push_back(read_device((*list)[i], "devices[" + std::to_string(i) + "]"));
        }
        return devices;
    });
}

Result<UserProfile> parse_profile(std::string_view body) {
    return map_body<UserProfile>(body, [](const Json& root) {
        UserProfile profile;
        profile.id = opt_string(root, "id", "").value_or("");
        if (profile.id.empty()) throw FieldError("id: missing");
        profile.display_name = opt_string(root, "display_name", "");
        if (auto product = opt_string(root, "product", "")) profile.premium = *product == "premium";
        return profile;
    });
}

Result<PlayQueue> parse_queue(std::string_view body) {
    return map_body<PlayQueue>(body, [](const Json& root) {
        PlayQueue queue;
        if (const Json* current = opt_object(root, "currently_playing", ""))
            queue.current = read_track(*current);
        const Json* items = opt_array(root, "queue", "");
        if (!items) throw FieldError("queue: missing");
        for (size_t i = 0; i < items->size(); ++i) {
            const Json& item = (*items)[i];
            if (item.is_null()) continue;  // an item Spotify no longer has
            Track track = read_track(item);
            if (!track.uri.empty()) queue.next.push_back(std::move(track));
        }
        return queue;
    });
}

Result<bool> parse_library_contains(std::string_view body) {
    return map_body<bool>(body, [](const Json& root) {
        // One URI was asked for, so exactly one answer; anything else is not Spotify's shape.
        if (!root.is_array() || root.size() != 1 || !root[0].is_boolean())
            throw FieldError("expected an array of one boolean");
        return root[0].get<bool>();
    });
}

Result<std::string> parse_object_name(std::string_view body) {
    return map_body<std::string>(body, [](const Json& root) {
        auto name = opt_string(root, "name", "");
        if (!name) throw FieldError("name: missing");
        return *name;
    });
}

namespace {
constexpr size_t kReasonBytes = 64;  // Spotify's reasons are short words like NO_ACTIVE_DEVICE
}  // namespace

Error parse_api_error(int http_status, std::string_view body, std::optional<int> retry_after_s) {
    Error error;
    error.http_status = http_status;
    error.kind = http_status == 429   ? ErrorKind::RateLimited
                 : http_status == 401 ? ErrorKind::Unauthorized
                                      : ErrorKind::Http;
    error.retry_after_s = retry_after_s;
    Json root = Json::parse(body, nullptr, false);
    if (!root.is_discarded() && root.is_object()) {
        auto it = root.find("error");
        if (it != root.end() && it->is_object()) {
            // Both end up in the log and in retained topics: quoted, never whole.
            if (auto m = it->find("message"); m != it->end() && m->is_string()) {
                error.message = untrusted_excerpt(m->get_ref<const std::string&>());
            }
            if (auto r = it->find("reason"); r != it->end() && r->is_string()) {
                error.reason = untrusted_excerpt(r->get_ref<const std::string&>(), kReasonBytes);
            }
        }
    }
    if (error.message.empty())
        error.message = "Spotify answered HTTP " + std::to_string(http_status);
    return error;
}

}  // namespace s2m
