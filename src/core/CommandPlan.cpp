#include "core/CommandPlan.h"

#include <algorithm>

#include "core/Encoding.h"

namespace s2m {

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string in_quotes(const std::string& text) {
    return "'" + (text.size() > 60 ? text.substr(0, 60) + "…" : text) + "'";
}

CommandError not_controllable(const Device& device) {
    return {reason::kDeviceNotControllable,
            in_quotes(device.name) +
                " is a restricted device: Spotify accepts no remote commands for it (Sonos and "
                "some TVs are like this). Control it from its own app, or pick another device."};
}

// Plans one message; each step may end planning with an error or a refresh request.
class Planner {
  public:
    Planner(const CommandSet& commands, const AccountKnowledge& known) : c_(commands), k_(known) {
        if (k_.state && k_.state->state != PlayerState::Idle && k_.state->device) {
            active_ = k_.state->device;
        }
        playing_ = k_.state && k_.state->state == PlayerState::Playing;
    }

    PlanOutcome run() {
        std::optional<Device> named;
        if (c_.device && !resolve_named(*c_.device, named)) return *stop_;
        std::optional<Device> play_device;
        if (c_.play && c_.play->device && !resolve_named(*c_.play->device, play_device))
            return *stop_;
        bool starts = c_.play.has_value() || c_.playlist.has_value();
        if (named && !starts) {
            transfer(*named);
        } else if (named && !play_device) {
            play_device = named;  // one play call on that device instead of transfer + play
        }
        if (starts && !start_playback(play_device)) return *stop_;
        if (c_.shuffle &&
            !control("turn shuffle " + std::string(*c_.shuffle ? "on" : "off"), "PUT",
                     "/me/player/shuffle?state=" + std::string(*c_.shuffle ? "true" : "false")))
            return *stop_;
        if (c_.repeat && !control("set repeat to " + *c_.repeat, "PUT",
                                  "/me/player/repeat?state=" + url_encode(*c_.repeat)))
            return *stop_;
        if (c_.volume && !volume(*c_.volume)) return *stop_;
        if (c_.position_ms &&
            !control("seek", "PUT",
                     "/me/player/seek?position_ms=" + std::to_string(*c_.position_ms)))
            return *stop_;
        if (c_.queue) {
            if (!control("add to the queue", "POST",
                         "/me/player/queue?uri=" + url_encode(*c_.queue)))
                return *stop_;
        }
        if (c_.like && !like(*c_.like)) return *stop_;
        if (c_.command && !transport(*c_.command, starts)) return *stop_;
        return std::move(plan_);
    }

  private:
    bool fail(PlanOutcome outcome) {
        stop_ = std::move(outcome);
        return false;
    }

    void add(std::string action, std::string method, std::string path,
             std::optional<nlohmann::json> body = std::nullopt) {
        plan_.calls.push_back(
            ApiCall{std::move(method), std::move(path), std::move(body), std::move(action)});
    }

    bool resolve_named(const std::string& name, std::optional<Device>& out) {
        const Device* found = k_.devices ? find_device(*k_.devices, name) : nullptr;
        if (!found && active_ && (active_->id == name || lower(active_->name) == lower(name)))
            found = &*active_;
        if (!found) {
            if (!k_.fresh_devices) return fail(Refresh::Devices);
            return fail(CommandError{
                reason::kUnknownDevice,
                "There is no device named " + in_quotes(name) + ". Devices Spotify lists now: " +
                    describe_devices(k_.devices.value_or(std::vector<Device>{})) + "."});
        }
        if (found->is_restricted) return fail(not_controllable(*found));
        if (!found->id) {
            return fail(CommandError{
                reason::kDeviceNotControllable,
                in_quotes(found->name) + " has no device id, so the Web API cannot address it."});
        }
        out = *found;
        return true;
    }

    void transfer(const Device& device) {
        plan_.target = device;
        if (active_ && active_->id == device.id) return;  // already there: nothing to do
        add("move playback to " + in_quotes(device.name), "PUT", "/me/player",
            nlohmann::json{{"device_ids", {*device.id}}, {"play", playing_}});
        // Waking a device from idle is up to Spotify: confirm by polling.
        if (!active_) plan_.predictable = false;
        active_ = device;
        active_->is_active = true;
    }

    // When nothing is active: the last device used, else the only unrestricted one.
    bool idle_target(std::optional<Device>& out) {
        if (active_) {
            out = active_;
            return true;
        }
        // "Nothing is active" may be an old poll's view: only a fresh look makes it final.
        if (!k_.fresh_state) return fail(Refresh::State);
        if (!k_.fresh_devices) return fail(Refresh::Devices);
        const std::vector<Device>& devices = *k_.devices;
        auto usable = [](const Device& d) { return !d.is_restricted && d.id.has_value(); };
        if (k_.last_device_id) {
            for (const Device& d : devices) {
                if (d.id == k_.last_device_id && usable(d)) {
                    out = d;
                    return true;
                }
            }
        }
        std::vector<const Device*> candidates;
        for (const Device& d : devices)
            if (usable(d)) candidates.push_back(&d);
        if (candidates.size() == 1) {
            out = *candidates.front();
            return true;
        }
        std::string detail =
            devices.empty()
                ? "No Spotify device is online: open Spotify on a phone, computer or speaker."
                : "Name one with \"device\". Devices Spotify lists now: " +
                      describe_devices(devices) + ".";
        return fail(CommandError{reason::kNoActiveDevice,
                                 "Nothing is playing and the bridge cannot tell which device to "
                                 "play on. " +
                                     detail});
    }

    bool start_playback(std::optional<Device> device) {
        if (!device) {
            if (active_ && active_->is_restricted) return fail(not_controllable(*active_));
            if (!idle_target(device)) return false;
        }
        nlohmann::json body = nlohmann::json::object();
        std::string action = "start playback";
        if (c_.playlist) {
            std::optional<std::string> uri = c_.playlist->uri;
            if (!uri && !find_playlist(*c_.playlist->name, uri)) return false;
            body["context_uri"] = *uri;
            action = "play the playlist";
        } else {
            const PlayTarget& play = *c_.play;
            if (play.liked) {
                if (!k_.user_id) return fail(Refresh::Profile);
                body["context_uri"] = "spotify:user:" + *k_.user_id + ":collection";
            } else if (play.context_uri) {
                body["context_uri"] = *play.context_uri;
            } else if (!play.uris.empty()) {
                body["uris"] = play.uris;
            }
            if (play.offset && play.offset->position) {
                body["offset"] = {{"position", *play.offset->position}};
            } else if (play.offset && play.offset->uri) {
                body["offset"] = {{"uri", *play.offset->uri}};
            }
            if (play.position_ms) body["position_ms"] = *play.position_ms;
        }
        std::string path = "/me/player/play";
        if (!active_ || active_->id != device->id) path += "?device_id=" + url_encode(*device->id);
        add(action, "PUT", path,
            body.empty() ? std::nullopt : std::optional<nlohmann::json>(std::move(body)));
        plan_.predictable = false;
        plan_.target = device;
        active_ = device;
        playing_ = true;
        return true;
    }

    bool find_playlist(const std::string& name, std::optional<std::string>& uri) {
        const auto& playlists = k_.playlists.value_or(std::vector<Playlist>{});
        // An exact match first, so "Mix" and "MIX" stay distinguishable.
        const Playlist* match = nullptr;
        for (const Playlist& p : playlists)
            if (!match && p.name == name) match = &p;
        for (const Playlist& p : playlists)
            if (!match && lower(p.name) == lower(name)) match = &p;
        if (match) {
            uri = match->uri;
            return true;
        }
        if (!k_.fresh_playlists) return fail(Refresh::Playlists);
        std::string names;
        for (size_t i = 0; i < playlists.size() && i < 10; ++i)
            names += (i ? ", " : "") + in_quotes(playlists[i].name);
        if (playlists.size() > 10) names += ", …";
        return fail(CommandError{reason::kUnknownPlaylist,
                                 "There is no playlist named " + in_quotes(name) + ". " +
                                     (playlists.empty() ? "This account has no playlists."
                                                        : "Playlists: " + names + ".")});
    }

    // A control that needs something active.
    bool control(const std::string& action, const std::string& method, const std::string& path) {
        if (!active_) {
            if (!k_.fresh_state) return fail(Refresh::State);
            return fail(CommandError{
                reason::kNoActiveDevice,
                "Cannot " + action +
                    ": nothing is playing. Start playback first (\"command\":\"play\"), or pick a "
                    "device with \"device\"" +
                    (k_.devices ? "; devices Spotify lists now: " + describe_devices(*k_.devices)
                                : std::string()) +
                    "."});
        }
        if (active_->is_restricted) return fail(not_controllable(*active_));
        add(action, method, path);
        return true;
    }

    bool volume(int percent) {
        if (active_ && !active_->is_restricted && !active_->supports_volume) {
            return fail(CommandError{
                reason::kVolumeControlDisallow,
                in_quotes(active_->name) + " does not let Spotify change its volume."});
        }
        return control("set the volume to " + std::to_string(percent), "PUT",
                       "/me/player/volume?volume_percent=" + std::to_string(percent));
    }

    bool like(bool save) {
        const Track* track = k_.state && k_.state->state != PlayerState::Idle && k_.state->track
                                 ? &*k_.state->track
                                 : nullptr;
        if (!track || track->uri.empty()) {
            if (!k_.fresh_state) return fail(Refresh::State);
            return fail(CommandError{reason::kNothingPlaying,
                                     "Nothing is playing, so there is no current track to " +
                                         std::string(save ? "like." : "unlike.")});
        }
        add(std::string(save ? "save " : "remove ") + in_quotes(track->name) +
                (save ? " to" : " from") + " Liked Songs",
            save ? "PUT" : "DELETE", "/me/library?uris=" + url_encode(track->uri));
        return true;
    }

    bool transport(Transport command, bool started) {
        if (command == Transport::Toggle) command = playing_ ? Transport::Pause : Transport::Play;
        switch (command) {
            case Transport::Play: {
                if (started) return true;  // the play call already resumed playback
                std::optional<Device> device = active_;
                if (!device || device->is_restricted) {
                    if (device) return fail(not_controllable(*device));
                    if (!idle_target(device)) return false;
                }
                std::string path = "/me/player/play";
                if (!active_) {
                    path += "?device_id=" + url_encode(*device->id);
                    plan_.predictable = false;
                    plan_.target = device;
                }
                add("resume playback", "PUT", path);
                plan_.transport = Transport::Play;
                return true;
            }
            case Transport::Pause:
                if (!active_) {
                    // Idle already means not playing; only trust that from a fresh look.
                    if (!k_.fresh_state) return fail(Refresh::State);
                    return true;
                }
                plan_.transport = Transport::Pause;
                return control("pause", "PUT", "/me/player/pause");
            case Transport::Next:
                plan_.predictable = false;
                return control("skip to the next track", "POST", "/me/player/next");
            case Transport::Previous:
                plan_.predictable = false;
                return control("go back to the previous track", "POST", "/me/player/previous");
            case Transport::Toggle:
                break;
        }
        return true;
    }

    const CommandSet& c_;
    const AccountKnowledge& k_;
    CommandPlan plan_;
    std::optional<Device> active_;  // where controls go now (after a transfer in this plan)
    bool playing_ = false;
    std::optional<PlanOutcome> stop_;
};

}  // namespace

PlanOutcome plan_commands(const CommandSet& commands, const AccountKnowledge& known) {
    return Planner(commands, known).run();
}

bool needs_premium(const CommandSet& c) {
    return c.device || c.play || c.playlist || c.shuffle || c.repeat || c.volume || c.position_ms ||
           c.queue || c.command;
}

const Device* find_device(const std::vector<Device>& devices, const std::string& name_or_id) {
    for (const Device& d : devices)
        if (d.id && *d.id == name_or_id) return &d;
    const Device* first = nullptr;
    std::string wanted = lower(name_or_id);
    for (const Device& d : devices) {
        if (lower(d.name) != wanted) continue;
        if (d.is_active) return &d;
        if (!first) first = &d;
    }
    return first;
}

std::string describe_devices(const std::vector<Device>& devices) {
    if (devices.empty()) return "none";
    std::string text;
    for (const Device& d : devices) {
        if (!text.empty()) text += ", ";
        text += d.name + " (" + (d.type.empty() ? "device" : d.type);
        if (d.is_active) text += ", active";
        if (d.is_restricted) text += ", restricted";
        text += ")";
    }
    return text;
}

}  // namespace s2m
