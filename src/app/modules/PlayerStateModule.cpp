#include "app/modules/PlayerStateModule.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/Encoding.h"
#include "core/StateDiff.h"
#include "core/StatePayload.h"

namespace s2m {

namespace {
std::string describe_track(const PlaybackState& state) {
    if (state.state == PlayerState::Idle) return "idle";
    // Names come from Spotify (a device is named by whoever owns it): quoted, never whole.
    std::string text = to_string(state.state);
    if (state.track) {
        text += " '" + untrusted_excerpt(state.track->name, 100) + "'";
        if (!state.track->artists.empty())
            text += " by " + untrusted_excerpt(state.track->artists.front(), 100);
    }
    if (state.device) text += " on " + untrusted_excerpt(state.device->name, 100);
    return text;
}
}  // namespace

const Seen& PlayerStateModule::seen(const std::string& name) const {
    static const Seen kNothing;
    auto it = seen_.find(name);
    return it == seen_.end() ? kNothing : it->second;
}

bool PlayerStateModule::apply_player(Account& account, PlaybackState state) {
    Seen& seen = seen_[account.name];
    if (account.record) state.premium = account.record->premium;
    core_.notify([&](Module& module) { module.on_player_read(account, state); });
    if (state.state != PlayerState::Idle && state.device && state.device->id)
        seen.last_device_id = state.device->id;
    if (state.context) {
        auto known = seen.context_names.find(state.context->uri);
        if (known != seen.context_names.end() && !known->second.empty()) {
            state.context->name = known->second;
        }
    }
    bool unknown_device = state.device && state.device->id && seen.devices &&
                          std::none_of(seen.devices->begin(), seen.devices->end(),
                                       [&](const Device& d) { return d.id == state.device->id; });
    if (seen.published && !is_news(*seen.published, state)) return unknown_device;
    spdlog::info("{}: {}", account.name, describe_track(state));
    seen.published = std::move(state);
    core_.publish(core_.topics().account(account.name),
                  state_payload(*seen.published, liked_value(*seen.published, seen.liked)).dump(),
                  true);
    core_.notify([&](Module& module) { module.on_state_published(account); });
    return unknown_device;
}

// Keeps `fresh` and publishes it on `topic` when it differs from what was shown.
template <typename List, typename Payload>
void PlayerStateModule::show_list(std::optional<List>& shown, List fresh, const std::string& topic,
                                  Payload payload) {
    if (shown == fresh) return;
    shown = std::move(fresh);
    core_.publish(topic, payload(*shown).dump(), true);
}

void PlayerStateModule::apply_devices(Account& account, std::vector<Device> devices) {
    show_list(seen_[account.name].devices, std::move(devices), core_.topics().devices(account.name),
              devices_payload);
}

void PlayerStateModule::apply_playlists(Account& account, std::vector<Playlist> playlists) {
    show_list(seen_[account.name].playlists, std::move(playlists),
              core_.topics().playlists(account.name), playlists_payload);
}

void PlayerStateModule::remember_context_name(Account& account, const std::string& uri,
                                              const std::string& name) {
    seen_[account.name].context_names[uri] = name;
}

void PlayerStateModule::remember_device(Account& account, const std::string& device_id) {
    seen_[account.name].last_device_id = device_id;
}

void PlayerStateModule::apply_liked(Account& account, LikedMark mark) {
    Seen& seen = seen_[account.name];
    std::optional<bool> before =
        seen.published ? liked_value(*seen.published, seen.liked) : std::nullopt;
    seen.liked = std::move(mark);
    if (!seen.published) return;
    std::optional<bool> after = liked_value(*seen.published, seen.liked);
    if (after == before) return;
    // Only `liked` changed: the player is as it was, so the modules that follow the player
    // (on_state_published) have nothing new to see.
    core_.publish(core_.topics().account(account.name),
                  state_payload(*seen.published, after).dump(), true);
}

void PlayerStateModule::on_account_added(Account& account) {
    seen_[account.name] = Seen{};
}

void PlayerStateModule::on_account_removed(const std::string& name) {
    seen_.erase(name);
    for (const std::string& topic : {core_.topics().account(name), core_.topics().devices(name),
                                     core_.topics().playlists(name)}) {
        core_.publish(topic, "", true);
    }
}

void PlayerStateModule::on_publish_retained(const Account& account) {
    const Seen& shown = seen(account.name);
    if (shown.published) {
        core_.publish(
            core_.topics().account(account.name),
            state_payload(*shown.published, liked_value(*shown.published, shown.liked)).dump(),
            true);
    }
    if (shown.devices) {
        core_.publish(core_.topics().devices(account.name), devices_payload(*shown.devices).dump(),
                      true);
    }
    if (shown.playlists) {
        core_.publish(core_.topics().playlists(account.name),
                      playlists_payload(*shown.playlists).dump(), true);
    }
}

}  // namespace s2m
