// MQTT commands (docs/mqtt.md): <base>/<account>/set and /set/<key>. Parsing happens here on the
// loop (it is cheap and pure); the Spotify calls run as one CommandJob at a time per account, in
// arrival order, in the account's own worker lane (never behind a poll). Different accounts
// never wait on each other. Every command gets one answer on <base>/<account>/response.
//
// Thread rule: loop thread only; the CommandJob runs on a worker and posts its outcome back.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>

#include "app/BridgeCore.h"
#include "app/CommandJob.h"
#include "app/modules/JobModule.h"
#include "app/modules/PlayerMemoryModule.h"
#include "app/modules/PlayerStateModule.h"
#include "app/modules/PollingModule.h"
#include "app/modules/RateGates.h"
#include "app/modules/TokensModule.h"
#include "core/CommandIntake.h"
#include "ports/JobRunner.h"

namespace s2m {

// A command waiting its turn: one runs at a time per account, in arrival order.
struct PendingCommand {
    CommandSet commands;
    std::optional<nlohmann::json> transaction;
    int64_t received_ms = 0;     // when the bridge got it (the 10 s staleness rule)
    bool deferred_once = false;  // already waited once for a token renewal
};

class CommandsModule : public JobModule, public CommandActivity {
  public:
    CommandsModule(const JobPorts& ports, const PlayerStateModule& state, PollControl& polls,
                   PlayerMemory& memory)
        : JobModule(ports), state_(state), polls_(polls), memory_(memory) {}

    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;
    void on_poll_finished(Account& account) override;  // a command may wait for its token
    std::vector<std::string> subscriptions() const override;
    void on_broker_connected() override;
    void on_broker_lost() override;
    void on_subscribed() override;
    bool on_message(const MqttMessage& message) override;

    bool command_running(const std::string& name) const override;

  private:
    struct Queue {
        std::deque<PendingCommand> commands;
        bool in_flight = false;  // a CommandJob is running
    };

    void handle_set(const std::string& account, const std::string& key, const MqttMessage& message);
    std::optional<CommandError> refuse_now(const Account& account, const CommandSet& commands,
                                           int64_t received_ms) const;
    void answer_refusal(Account& account, const std::optional<nlohmann::json>& transaction,
                        const CommandError& refusal);
    void dispatch(Account& account);
    void on_command_done(const std::string& name, PendingCommand command, CommandOutcome outcome);
    void apply_fetched(Account& account, CommandOutcome& outcome);
    // Fast idle and paused reads for `seconds` (0 ends them); `data` gets boost_until.
    void apply_boost(Account& account, int64_t seconds, nlohmann::json& data);
    // `data`: what the command found out (play by name: {"played":…}), on success only.
    void respond(const std::string& account, const std::optional<nlohmann::json>& transaction,
                 const std::optional<CommandError>& error, nlohmann::json data = nullptr);

    const PlayerStateModule& state_;
    PollControl& polls_;
    PlayerMemory& memory_;  // snapshots and the muted volume
    CommandIntake intake_;  // redeliveries and commands replayed from the session
    std::map<std::string, Queue> queues_;
};

}  // namespace s2m
