// Liked (docs/mqtt.md#account-state): the state's `liked` key. The library is checked once per
// item (core/Liked.h: when the published state shows an item the last check was not for, playing
// or paused), never on an ordinary poll, so it costs about one call per track
// (docs/configuration.md: features.liked). A `like` command sets the key at once from what it
// did, without a read. Spotify Free allows the library API, so Free accounts get it too.
//
// The check is a job on a lane of its own (liked/<account>), so it never delays the state the
// poll publishes. It takes its call from the app's rate gate like a routine read, and never
// renews the token: a poll or a command does that, and the check waits for the next poll.
//
// Thread rule: loop thread only; the check runs in the account's liked lane and posts back.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "app/modules/JobModule.h"
#include "app/modules/PlayerStateModule.h"
#include "spotify/WebApi.h"

namespace s2m {

// What one library check brought back, with what became of the token.
struct LikedOutcome : SessionResult {
    std::optional<Result<bool>> liked;  // none: no call was made (token)
};

class LikedModule : public JobModule {
  public:
    LikedModule(const JobPorts& ports, PlayerStateModule& state)
        : JobModule(ports), state_(state) {}

    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;
    void on_state_published(Account& account) override;
    void on_command_succeeded(Account& account, const CommandSet& commands) override;
    void on_poll_finished(Account& account) override;  // a check that waited for a fresh token

  private:
    struct Check {
        std::optional<std::string> read_for;  // the item (URI) the last check was for
        std::optional<std::string> running;   // the item the running check asks about
        bool answered_by_command = false;     // a `like` settled `running` meanwhile
        SideReadWait wait;                    // for the rate gate or a token renewal
    };

    // Checks the item the published state shows, unless a check runs or it is not due.
    void check_current(Account& account);
    void on_check_done(const std::string& name, const std::string& uri, LikedOutcome outcome);

    PlayerStateModule& state_;
    std::map<std::string, Check> checks_;
};

}  // namespace s2m
