// What the modules that run Spotify jobs for accounts (polls, commands) are built on: the core,
// the loop and the workers, the metrics, the apps' rate gates and the token keeper.
//
// Thread rule: loop thread only.
#pragma once

#include <optional>

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

    BridgeCore& core_;
    Scheduler& loop_;
    JobRunner& workers_;
    Metrics& metrics_;
    RateGates& gates_;
    TokensModule& tokens_;
};

}  // namespace s2m
