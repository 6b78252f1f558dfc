// Up next (docs/mqtt.md#up-next): the retained <base>/<account>/queue topic. Spotify's queue is
// read only when the item changes while playing (core/UpNext.h) and after a `queue`, `play` or
// `playlist` command, never on an ordinary poll, so it costs about one call per track
// (docs/configuration.md: features.queue). Idle shows {"next":[]} without a call.
//
// The read is a job on a lane of its own (queue/<account>), so it never delays the state the
// poll publishes. It takes its call from the app's rate gate like a routine read, and never
// renews the token: a poll or a command does that, and the read waits for the next poll.
//
// Thread rule: loop thread only; the read runs in the account's queue lane and posts back.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "app/modules/JobModule.h"
#include "app/modules/PlayerStateModule.h"
#include "core/PlaybackState.h"
#include "spotify/WebApi.h"

namespace s2m {

// What one read of the queue brought back, with what became of the token.
struct QueueOutcome : SessionResult {
    std::optional<Result<PlayQueue>> queue;  // none: no call was made (token)
};

class UpNextModule : public JobModule {
  public:
    UpNextModule(const JobPorts& ports, const PlayerStateModule& state)
        : JobModule(ports), state_(state) {}

    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;
    void on_state_published(Account& account) override;
    void on_command_succeeded(Account& account, const CommandSet& commands) override;
    void on_poll_finished(Account& account) override;  // a read that waited for a fresh token
    void on_publish_retained(const Account& account) override;

  private:
    struct Queue {
        std::optional<std::string> read_for;  // the item (URI) the last read was for
        std::optional<std::string> shown;     // the payload on the topic
        bool in_flight = false;               // never two reads per account
        bool for_command = false;             // the running read follows a command
        bool read_again = false;              // asked for while one ran (or waits for the gate)
        bool again_for_command = false;       // … and a command asked for it
        SideReadWait wait;                    // for the rate gate or a token renewal
    };

    // `for_command`: after a command, whose result Spotify may not show yet; a read for an item
    // change is for the item the state shows.
    void read_queue(Account& account, bool for_command);
    void on_read_done(const std::string& name, QueueOutcome outcome);
    void show(Account& account, const std::string& payload);

    const PlayerStateModule& state_;
    std::map<std::string, Queue> queues_;
};

}  // namespace s2m
