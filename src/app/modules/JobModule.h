// What the modules that run Spotify jobs for accounts (polls, commands) are built on: the core,
// the loop and the workers, the metrics, the apps' rate gates and the token keeper.
//
// Thread rule: loop thread only.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "app/BridgeCore.h"
#include "app/modules/Module.h"
#include "app/modules/RateGates.h"
#include "app/modules/TokensModule.h"
#include "core/Command.h"
#include "ports/JobRunner.h"
#include "ports/Scheduler.h"
#include "spotify/WebApi.h"

namespace s2m {

struct JobPorts {
    BridgeCore& core;
    Scheduler& loop;
    JobRunner& workers;
    Metrics& metrics;
    RateGates& gates;
    TokensModule& tokens;
};

// What one read beside the polls brought back, with what became of the token.
template <typename T>
struct SideReadOutcome : SessionResult {
    std::optional<Result<T>> read;  // none: no call was made (token)
};

class JobModule : public Module {
  protected:
    explicit JobModule(const JobPorts& ports)
        : core_(ports.core),
          loop_(ports.loop),
          workers_(ports.workers),
          metrics_(ports.metrics),
          gates_(ports.gates),
          tokens_(ports.tokens) {}

    // Answers a job needs no call for (docs/mqtt-commands.md#responses): the account must be
    // linked, with an app to renew its token (REAUTH_REQUIRED, NOT_LINKED) …
    std::optional<CommandError> link_refusal(const Account& account) const;
    // … and its app must be outside a 429 window (RATE_LIMITED).
    std::optional<CommandError> rate_limit_refusal(const Account& account) const;
    // The request of a read beside the polls (up next, liked) for a linked account: its app, its
    // app's rate window, and its token without the right to renew it (only polls and commands
    // renew; such a read waits for the next poll instead).
    JobRequest side_read_request(const Account& account) const;

    // What a read beside the polls (up next, liked, recent, top) waits for: a routine slot of
    // its app's rate gate, or a poll that renews the token (such a read may not renew it).
    struct SideReadWait {
        bool wants_token = false;            // waits for a poll to renew the token
        Scheduler::TimerId retry_timer = 0;  // waits for the rate gate
    };
    // The account's routine slot of the rate gate: spent now (true), or `again` runs on the loop
    // when the gate will have one (false), like a poll waits for the pace of polls and for a 429
    // window. `again` gets the account if it is still there. `calls`: how many the read makes.
    // `background`: a read that may wait (the listening data) goes only when the app's bucket is
    // full, so under a tight pace it never delays a poll of any account.
    bool take_routine_slot(const Account& account, SideReadWait& wait,
                           std::function<void(Account&)> again, int calls = 1,
                           bool background = false);
    // From on_poll_finished: a read that waited for a token renewal runs `again`, after the
    // poll's outcome is applied (a renewed token is in the record then).
    void resume_after_poll(const Account& account, SideReadWait& wait,
                           std::function<void(Account&)> again);
    // Runs `call` (WebApi& → Result<T>) in the worker lane `lane` with `request`'s token, which
    // it may not renew (an expiring one defers the read: refresh_deferred), and hands the
    // outcome to `done` on the loop with the account's name. Like the PollJob, the job captures
    // the loop, not the module's data, so a result that arrives after the account is gone finds
    // nothing to change.
    template <typename T, typename Call, typename Done>
    void run_side_read(const std::string& lane, JobRequest request, Call call, Done done) {
        workers_.submit(lane, [loop = &loop_, clock = &core_.clock(), request = std::move(request),
                               call = std::move(call), done = std::move(done)](HttpClient& http) {
            SideReadOutcome<T> outcome;
            try {
                std::function<int64_t()> now = [clock] { return clock->now_ms(); };
                ApiSession session(http, request, now);
                if (session.ensure_fresh_token()) outcome.read = session.read<T>(call);
                static_cast<SessionResult&>(outcome) = session.result();
            } catch (const std::exception& e) {
                outcome.read =
                    Error{ErrorKind::Internal, std::string("internal error: ") + e.what()};
            }
            loop->post([done, name = request.account, outcome = std::move(outcome)]() mutable {
                done(name, std::move(outcome));
            });
        });
    }
    // `then` on the loop after the current event, with the account if it is still there.
    void post_for(const std::string& name, std::function<void(Account&)> then);

    BridgeCore& core_;
    Scheduler& loop_;
    JobRunner& workers_;
    Metrics& metrics_;
    RateGates& gates_;
    TokensModule& tokens_;
};

}  // namespace s2m
