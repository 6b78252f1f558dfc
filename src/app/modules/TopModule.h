// Top items (docs/mqtt.md#top): the retained <base>/<account>/top topic, the account's 10 top
// tracks and artists of the last four weeks. Read when the account comes online, then once a day
// (core/Listening.h: TopReads), two calls each time (docs/configuration.md: features.top). An
// account whose link lacks user-top-read is never read (app/AccountScopes.h); a 403 stops the
// reads until the account links again.
//
// The read is a job on a lane of its own (top/<account>) under the app's rate gate like a routine
// read, and never renews the token: a poll does that, and the read waits for it.
//
// Thread rule: loop thread only; the read runs in the account's top lane and posts back.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "app/modules/JobModule.h"
#include "core/Listening.h"

namespace s2m {

class TopModule : public JobModule {
  public:
    explicit TopModule(const JobPorts& ports) : JobModule(ports) {}

    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;
    void on_account_relinked(Account& account) override;
    void on_account_changed(Account& account) override;  // it came online
    void on_poll_finished(Account& account) override;    // a read that waited for a token
    void on_publish_retained(const Account& account) override;

  private:
    struct Top {
        TopReads reads;
        std::optional<std::string> shown;  // the payload on the topic
        bool in_flight = false;
        bool refused = false;              // Spotify answered 403: not until linked again
        SideReadWait wait;                 // for the rate gate or a token renewal
        Scheduler::TimerId day_timer = 0;  // the next daily read
    };

    bool may_read(const Account& account) const;
    // Reads when due, or waits for the day (or the retry after a failure) to pass.
    void consider(Account& account);
    void on_read_done(const std::string& name, SideReadOutcome<TopItems> outcome);

    std::map<std::string, Top> tops_;
};

}  // namespace s2m
