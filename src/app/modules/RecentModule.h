// Recently played (docs/mqtt.md#recent): the retained <base>/<account>/recent topic, the last 20
// plays. Spotify's history is read at most every 10 minutes while playing, and only when
// something new could be there (the item changed since the last read: core/Listening.h), so it
// costs a few calls per hour of music (docs/configuration.md: features.recent);
// <base>/<account>/get reads it at once. An account whose link lacks user-read-recently-played is
// never read (app/AccountScopes.h); a 403 stops the reads until the account links again.
//
// The read is a job on a lane of its own (recent/<account>) under the app's rate gate like a
// routine read, and never renews the token: a poll does that, and the read waits for it.
//
// Thread rule: loop thread only; the read runs in the account's recent lane and posts back.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/modules/JobModule.h"
#include "app/modules/PlayerStateModule.h"
#include "core/Listening.h"

namespace s2m {

class RecentModule : public JobModule {
  public:
    RecentModule(const JobPorts& ports, const PlayerStateModule& state)
        : JobModule(ports), state_(state) {}

    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;
    void on_account_relinked(Account& account) override;
    void on_state_published(Account& account) override;
    void on_get(Account& account) override;
    void on_poll_finished(Account& account) override;  // a read that waited for a fresh token
    void on_publish_retained(const Account& account) override;

  private:
    struct Recent {
        RecentReads reads;
        std::optional<std::string> shown;  // the payload on the topic
        bool in_flight = false;            // never two reads per account
        bool read_again = false;           // a /get while one ran
        bool get_asked = false;            // a /get waits for its poll to end
        bool refused = false;              // Spotify answered 403: not until linked again
        SideReadWait wait;                 // for the rate gate or a token renewal
        Scheduler::TimerId gap_timer = 0;  // the end of the 10 minutes since the last read
    };

    bool may_read(const Account& account) const;
    // On schedule: reads when due, or waits for the gap since the last read to end.
    void consider(Account& account);
    void read(Account& account);
    void on_read_done(const std::string& name, SideReadOutcome<std::vector<PlayedItem>> outcome);

    const PlayerStateModule& state_;
    std::map<std::string, Recent> recents_;
};

}  // namespace s2m
