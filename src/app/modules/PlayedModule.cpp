#include "app/modules/PlayedModule.h"

#include <spdlog/spdlog.h>

namespace s2m {

void PlayedModule::on_account_added(Account& account) {
    listening_[account.name] = PlayedItems{};
}

void PlayedModule::on_account_removed(const std::string& name) {
    listening_.erase(name);
}

void PlayedModule::on_player_read(Account& account, const PlaybackState& state) {
    auto played = listening_[account.name].observe(state, core_.clock().now_ms());
    if (!played) return;
    spdlog::debug("{}: played {} ({} ms listened)", account.name, played->item.uri,
                  played->listened_ms);
    core_.publish_event(track_played_event(account.name, *played));
}

}  // namespace s2m
