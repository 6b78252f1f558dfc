// CommandsModule: running an account's queued commands, one CommandJob at a time, and applying
// what each one did.
#include <spdlog/spdlog.h>

#include "app/modules/CommandsModule.h"

namespace s2m {

void CommandsModule::dispatch(Account& account) {
    Queue& queue = queues_[account.name];
    while (!queue.in_flight && !queue.commands.empty()) {
        const AccountRecord* record = account.record ? &*account.record : nullptr;
        bool expiring =
            record && record->access_expires_at_ms - core_.clock().now_ms() < kRefreshAheadMs;
        bool polling = polls_.polling(account.name);
        // A running poll is renewing the token: let it finish, it dispatches us again.
        if (expiring && polling) return;
        PendingCommand next = std::move(queue.commands.front());
        queue.commands.pop_front();
        if (auto refusal = refuse_now(account, next.commands, next.received_ms)) {
            answer_refusal(account, next.transaction, *refusal);
            continue;
        }
        const Seen& seen = state_.seen(account.name);
        CommandRequest request;
        request.account = account.name;
        request.spotify = core_.config().spotify_for(account.name);
        request.token = TokenSnapshot{record->refresh_token, record->access_token,
                                      record->access_expires_at_ms, !polling};
        request.commands = next.commands;
        request.known.state = seen.published;
        request.known.devices = seen.devices;
        request.known.playlists = seen.playlists;
        request.known.user_id = record->user_id;
        request.known.last_device_id = seen.last_device_id;
        request.rate_window = gates_.gate_of(account).window;
        queue.in_flight = true;
        workers_.submit(
            "command/" + account.name,
            [this, loop = &loop_, clock = &core_.clock(), request = std::move(request),
             next = std::move(next)](HttpClient& http) mutable {
                CommandOutcome outcome;
                try {
                    outcome = run_command(http, request, [clock] { return clock->now_ms(); });
                } catch (const std::exception& e) {
                    outcome = CommandOutcome{};
                    outcome.error = CommandError{reason::kSpotifyError,
                                                 std::string("internal error: ") + e.what()};
                }
                loop->post([this, name = request.account, next = std::move(next),
                            outcome = std::move(outcome)]() mutable {
                    on_command_done(name, std::move(next), std::move(outcome));
                });
            });
    }
}

void CommandsModule::on_command_done(const std::string& name, PendingCommand command,
                                     CommandOutcome outcome) {
    Account* found = core_.find(name);
    if (!found) return;  // unlinked meanwhile
    Account& account = *found;
    Queue& queue = queues_[name];
    queue.in_flight = false;
    gates_.gate_of(account).gate.spend(core_.clock().now_ms(), outcome.calls_made);
    tokens_.apply_grant(account, outcome.grant, outcome.grant_received_at_ms);
    if (outcome.refresh_deferred && !command.deferred_once) {
        // The token needed renewing while a poll held that right: run again after it.
        command.deferred_once = true;
        queue.commands.push_front(std::move(command));
        if (!polls_.polling(name)) polls_.poll_now(account);
        return;
    }
    if (outcome.refresh_deferred) {
        // Twice in a row: say so rather than wait on an endless renewal.
        outcome.error = CommandError{reason::kSpotifyError,
                                     "Not carried out: the access token is being renewed. Try "
                                     "again in a moment."};
    }
    apply_fetched(account, outcome);
    if (outcome.auth_error && outcome.auth_error->kind == ErrorKind::InvalidGrant)
        polls_.apply_failure(account, *outcome.auth_error);
    if (outcome.api_error) {
        // A refusal inside a window another request opened is not a new 429.
        if (outcome.api_error->kind == ErrorKind::RateLimited &&
            !is_gate_refusal(*outcome.api_error))
            polls_.apply_rate_limit(account, *outcome.api_error);
        if (outcome.api_error->reason == "PREMIUM_REQUIRED" && account.record &&
            account.record->premium != false) {
            account.record->premium = false;  // no more calls for commands that need it
            tokens_.save_record(account);
            core_.publish_info();
            core_.account_changed(account);  // read-only entities from now on
        }
    }
    if (outcome.plan && (!outcome.error || outcome.calls_made > 0))
        polls_.confirm_command(account, command.commands, *outcome.plan, outcome.error.has_value());
    if (outcome.error) {
        spdlog::info("{}: command failed ({}): {}", name, outcome.error->reason,
                     outcome.error->message);
    } else {
        spdlog::debug("{}: command done ({} Spotify calls)", name, outcome.calls_made);
    }
    respond(name, command.transaction, outcome.error);
    dispatch(account);
}

void CommandsModule::apply_fetched(Account& account, CommandOutcome& outcome) {
    if (outcome.profile && account.record)
        polls_.apply_profile(account, *outcome.profile, core_.clock().now_ms());
    polls_.apply_lists(account, std::move(outcome.devices), std::move(outcome.playlists),
                       core_.clock().now_ms());
    if (outcome.state) polls_.apply_player(account, std::move(*outcome.state));
    core_.account_changed(account);
}

}  // namespace s2m
