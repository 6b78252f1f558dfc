#include "app/modules/PlayerMemoryModule.h"

#include <spdlog/spdlog.h>

#include "spotify/Endpoints.h"

namespace s2m {

void PlayerMemoryModule::on_account_added(Account& account) {
    muted_[account.name] = store_.load_muted_volume(account.name);
}

void PlayerMemoryModule::on_account_removed(const std::string& name) {
    muted_.erase(name);
    store_.forget_account(name);
}

std::optional<CommandError> PlayerMemoryModule::recall(const std::string& account,
                                                       const CommandSet& commands,
                                                       AccountKnowledge& known) {
    if (auto it = muted_.find(account); it != muted_.end()) known.muted_volume = it->second;
    if (!commands.restore) return std::nullopt;
    known.restoring = store_.load_snapshot(account, *commands.restore);
    if (known.restoring) return std::nullopt;
    return CommandError{reason::kNotFound,
                        "There is no snapshot named " + endpoint::quoted(*commands.restore) +
                            " for this account: take one first with {\"snapshot\":\"" +
                            *commands.restore + "\"}. Nothing was changed."};
}

std::optional<CommandError> PlayerMemoryModule::keep(const std::string& account,
                                                     const CommandSet& commands,
                                                     const CommandPlan& plan) {
    const PlayerMemoryChange& change = plan.memory;
    Status kept = ok_status();
    std::string what;
    if (change.snapshot && commands.snapshot) {
        PlayerSnapshot snapshot = *change.snapshot;
        snapshot.taken_at_ms = core_.clock().now_ms();
        what = "the snapshot " + endpoint::quoted(*commands.snapshot);
        kept = store_.save_snapshot(account, *commands.snapshot, snapshot);
    }
    if (kept && (change.muted_volume || change.unmuted)) {
        std::optional<int> volume = change.unmuted ? std::nullopt : change.muted_volume;
        what = "the volume to unmute to";
        kept = store_.save_muted_volume(account, volume);
        if (kept) muted_[account] = volume;
    }
    if (kept) return std::nullopt;
    spdlog::error("{}: cannot keep {}: {}", account, what, kept.error().message);
    return CommandError{reason::kSpotifyError,
                        "The bridge could not keep " + what + " in its state folder (" +
                            kept.error().message +
                            "); everything else the command asked for was done.",
                        ErrorKind::Internal};
}

}  // namespace s2m
