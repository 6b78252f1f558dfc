#include "app/modules/CommandsModule.h"

#include <spdlog/spdlog.h>

#include <climits>

#include "app/AccountScopes.h"
#include "config/ConfigChecks.h"
#include "core/CommandBoost.h"
#include "core/Durations.h"
#include "core/Encoding.h"
#include "core/StatePayload.h"

namespace s2m {

void CommandsModule::on_account_added(Account& account) {
    queues_[account.name] = Queue{};
}

void CommandsModule::on_account_removed(const std::string& name) {
    queues_.erase(name);
}

void CommandsModule::on_poll_finished(Account& account) {
    loop_.post([this, name = account.name] {
        if (Account* found = core_.find(name)) dispatch(*found);
    });
}

std::vector<std::string> CommandsModule::subscriptions() const {
    return {core_.topics().set("+"), core_.topics().set_key("+")};
}

void CommandsModule::on_broker_connected() {
    intake_.connected(core_.clock().now_ms());  // commands replayed until the SUBACK may be stale
}

void CommandsModule::on_broker_lost() {
    intake_.connection_lost(core_.clock().now_ms());
}

void CommandsModule::on_subscribed() {
    intake_.subscribed();
}

bool CommandsModule::command_running(const std::string& name) const {
    auto it = queues_.find(name);
    return it != queues_.end() && it->second.in_flight;
}

// <base>/<account>/set and <base>/<account>/set/<key>
bool CommandsModule::on_message(const MqttMessage& message) {
    std::vector<std::string> levels = levels_below(core_.topics().base(), message.topic);
    if (levels.size() == 2 && levels[1] == "set") {
        handle_set(levels[0], "", message);
    } else if (levels.size() == 3 && levels[1] == "set") {
        // An empty key (".../set/") must not read as the JSON form.
        handle_set(levels[0], levels[2].empty() ? "(empty)" : levels[2], message);
    } else {
        return false;
    }
    return true;
}

void CommandsModule::respond(const std::string& account,
                             const std::optional<nlohmann::json>& transaction,
                             const std::optional<CommandError>& error, nlohmann::json data) {
    metrics_.add("spotify2mqtt_commands_total", {{"result", error ? error->reason : "ok"}});
    nlohmann::json response{{"status", error ? "error" : "ok"}};
    if (error) {
        response["error"] = error->message;
        response["reason"] = error->reason;
        Account* found = core_.find(account);
        if (error->reason == reason::kRateLimited && found) {
            response["retry_after_s"] = std::max<int64_t>(
                1, (gates_.rate_limited_until_ms(*found) - core_.clock().now_ms() + 999) / 1000);
        }
    }
    if (!error && !data.is_null()) response["data"] = std::move(data);
    if (transaction) response["transaction"] = *transaction;
    core_.publish(core_.topics().response(account),
                  response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), false);
}

void CommandsModule::handle_set(const std::string& name, const std::string& key,
                                const MqttMessage& message) {
    int64_t now = core_.clock().now_ms();
    if (intake_.is_redelivery(message.topic, message.payload, message.duplicate, now)) {
        spdlog::debug("{}: ignoring a redelivered command on {}", name, message.topic);
        return;
    }
    CommandParse parsed = parse_command(key, message.payload);
    Account* found = core_.find(name);
    if (!found) {
        if (check_account_name(name)) return;  // not even a possible account: not ours
        std::string known;
        for (const auto& [account_name, account] : core_.accounts())
            known += (known.empty() ? "" : ", ") + account_name;
        respond(name, parsed.transaction,
                CommandError{reason::kUnknownAccount,
                             "The bridge has no account named '" + name +
                                 "'. Accounts: " + (known.empty() ? "none yet" : known) + "."});
        return;
    }
    Account& account = *found;
    if (!parsed.ok()) {
        spdlog::info("{}: refused a command on {}: {}", name, untrusted_excerpt(message.topic),
                     parsed.error().message);
        respond(name, parsed.transaction, parsed.error());
        return;
    }
    if (auto offline_ms = intake_.replayed_after_offline(now)) {
        std::string away = *offline_ms == INT64_MAX
                               ? "was not running"
                               : "was offline for " + describe_duration(*offline_ms);
        spdlog::info("{}: not carrying out a command queued while the bridge {}", name, away);
        respond(
            name, parsed.transaction,
            CommandError{reason::kStaleCommand,
                         "Not carried out: the broker kept this command while the bridge " + away +
                             ", and commands older than 10 s are not replayed. Send it "
                             "again if it is still wanted."});
        return;
    }
    if (auto refusal = refuse_now(account, parsed.commands(), now)) {
        answer_refusal(account, parsed.transaction, *refusal);
        return;
    }
    queues_[name].commands.push_back(
        PendingCommand{parsed.commands(), parsed.transaction, now, false});
    dispatch(account);
}

// What can be answered without spending an API call.
std::optional<CommandError> CommandsModule::refuse_now(const Account& account,
                                                       const CommandSet& commands,
                                                       int64_t received_ms) const {
    int64_t now = core_.clock().now_ms();
    if (now - received_ms > kStaleCommandMs) {
        return CommandError{reason::kStaleCommand,
                            "Not carried out: this command waited " +
                                describe_duration(now - received_ms) +
                                " for the commands before it, and commands older than 10 s are "
                                "not replayed. Send it again if it is still wanted."};
    }
    if (auto refusal = link_refusal(account)) return refusal;
    // Before the Premium check: linking again is the answer for a Free account too.
    if (auto refusal = missing_scope_refusal(commands, account_scopes(account))) return refusal;
    if (account.record->premium == false && needs_premium(commands)) {
        return CommandError{reason::kPremiumRequired,
                            "Spotify Premium is required to control playback; this account has "
                            "Spotify Free, so the bridge can only show what it plays. (If it was "
                            "just upgraded, the bridge is reading its plan again: try once more "
                            "in a few seconds.)"};
    }
    // A boost alone makes no call: a 429 window does not hold it back (the reads it brings
    // forward wait for the window like every read).
    if (boost_only(commands)) return std::nullopt;
    return rate_limit_refusal(account);
}

void CommandsModule::answer_refusal(Account& account,
                                    const std::optional<nlohmann::json>& transaction,
                                    const CommandError& refusal) {
    // A Free account asking for control may have been upgraded since its plan was read.
    if (refusal.reason == reason::kPremiumRequired) polls_.recheck_plan(account);
    respond(account.name, transaction, refusal);
}

// ---- Running: one CommandJob at a time per account, and applying what each one did ----------

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
        if (boost_only(next.commands)) {  // no job, no token, no Spotify call
            nlohmann::json data = {{"boost_s", *next.commands.boost_s}};
            apply_boost(account, *next.commands.boost_s, data);
            respond(account.name, next.transaction, std::nullopt, std::move(data));
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
        if (auto missing = memory_.recall(account.name, next.commands, request.known)) {
            respond(account.name, next.transaction, *missing);
            continue;
        }
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
    tokens_.apply_grant(account, outcome);
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
    // A plan without calls (a snapshot, pause while idle) changed nothing at Spotify: no poll.
    if (outcome.plan && !outcome.plan->calls.empty() && (!outcome.error || outcome.calls_made > 0))
        polls_.confirm_command(account, command.commands, *outcome.plan, outcome.error.has_value());
    if (outcome.plan && !outcome.error) {
        if (auto not_kept = memory_.keep(name, command.commands, *outcome.plan))
            outcome.error = not_kept;
    }
    if (outcome.plan && outcome.plan->boost_s && !outcome.error)
        apply_boost(account, *outcome.plan->boost_s, outcome.plan->data);
    if (outcome.error) {
        spdlog::info("{}: command failed ({}): {}", name, outcome.error->reason,
                     outcome.error->message);
    } else {
        spdlog::debug("{}: command done ({} Spotify calls)", name, outcome.calls_made);
    }
    nlohmann::json data;
    if (outcome.plan && !outcome.plan->data.empty()) data = outcome.plan->data;
    if (outcome.plan && outcome.plan->played) {
        const SearchEntry& played = *outcome.plan->played;
        data["played"] = {
            {"uri", played.uri}, {"name", played.name}, {"type", to_string(played.type)}};
    }
    respond(name, command.transaction, outcome.error, std::move(data));
    if (!outcome.error)
        core_.notify(
            [&](Module& module) { module.on_command_succeeded(account, command.commands); });
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

// set/boost (docs/mqtt-commands.md#boost): the response says until when.
void CommandsModule::apply_boost(Account& account, int64_t seconds, nlohmann::json& data) {
    int64_t until = core_.clock().now_ms() + seconds * 1000;
    polls_.boost(account, until);
    data["boost_until"] = seconds > 0 ? nlohmann::json(iso8601_utc(until)) : nullptr;
    spdlog::info("{}: {}", account.name,
                 seconds > 0 ? "watching closely for " + describe_duration(seconds * 1000)
                             : std::string("boost ended"));
}

}  // namespace s2m
