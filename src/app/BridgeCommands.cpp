// Bridge: MQTT commands (SPEC §4). Parsing happens here on the loop (it is cheap and pure); the
// Spotify calls run as one CommandJob at a time per account, in arrival order, in the account's
// own worker lane (never behind a poll). Different accounts never wait on each other.
#include <spdlog/spdlog.h>

#include <climits>

#include "app/Bridge.h"
#include "config/ConfigChecks.h"
#include "core/Durations.h"
#include "core/Encoding.h"
#include "core/StateDiff.h"
#include "core/StatePayload.h"

namespace s2m {

namespace {
constexpr int64_t kConfirmPollMs = 1000;    // after an optimistic update
constexpr int64_t kSecondConfirmMs = 1500;  // after a change Spotify takes a moment to show

}  // namespace

void Bridge::on_subscribed() {
    loop_.post([this] { intake_.subscribed(); });
}

void Bridge::handle_get(const std::string& name) {
    auto it = accounts_.find(name);
    if (it == accounts_.end() || !it->second.record) return;
    it->second.schedule.request_devices();
    it->second.schedule.request_playlists();
    poll_now(it->second);
}

void Bridge::respond(const std::string& account, const std::optional<nlohmann::json>& transaction,
                     const std::optional<CommandError>& error) {
    metrics_.add("spotify2mqtt_commands_total", {{"result", error ? error->reason : "ok"}});
    nlohmann::json response{{"status", error ? "error" : "ok"}};
    if (error) {
        response["error"] = error->message;
        response["reason"] = error->reason;
        auto it = accounts_.find(account);
        if (error->reason == reason::kRateLimited && it != accounts_.end()) {
            response["retry_after_s"] = std::max<int64_t>(
                1, (rate_limited_until_ms(it->second) - clock_.now_ms() + 999) / 1000);
        }
    }
    if (transaction) response["transaction"] = *transaction;
    publish(topics_.response(account),
            response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), false);
}

void Bridge::handle_set(const std::string& name, const std::string& key,
                        const MqttMessage& message) {
    int64_t now = clock_.now_ms();
    if (intake_.is_redelivery(message.topic, message.payload, message.duplicate, now)) {
        spdlog::debug("{}: ignoring a redelivered command on {}", name, message.topic);
        return;
    }
    CommandParse parsed = parse_command(key, message.payload);
    auto it = accounts_.find(name);
    if (it == accounts_.end()) {
        if (check_account_name(name)) return;  // not even a possible account: not ours
        std::string known;
        for (const auto& [account_name, account] : accounts_)
            known += (known.empty() ? "" : ", ") + account_name;
        respond(name, parsed.transaction,
                CommandError{reason::kUnknownAccount,
                             "The bridge has no account named '" + name +
                                 "'. Accounts: " + (known.empty() ? "none yet" : known) + "."});
        return;
    }
    Account& account = it->second;
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
    account.commands.push_back(PendingCommand{parsed.commands(), parsed.transaction, now, false});
    dispatch_commands(account);
}

// What can be answered without spending an API call.
std::optional<CommandError> Bridge::refuse_now(const Account& account, const CommandSet& commands,
                                               int64_t received_ms) const {
    int64_t now = clock_.now_ms();
    if (now - received_ms > kStaleCommandMs) {
        return CommandError{reason::kStaleCommand,
                            "Not carried out: this command waited " +
                                describe_duration(now - received_ms) +
                                " for the commands before it, and commands older than 10 s are "
                                "not replayed. Send it again if it is still wanted."};
    }
    if (account.reauth_required) {
        return CommandError{reason::kReauthRequired,
                            "Spotify no longer accepts this account's link: link it again on the "
                            "bridge's web page or with `spotify2mqtt link --account " +
                                account.name + "`."};
    }
    if (!account.record) {
        return CommandError{reason::kNotLinked,
                            "This account is not linked to Spotify yet: link it on the bridge's "
                            "web page or with `spotify2mqtt link --account " +
                                account.name + "`."};
    }
    if (account.app.empty()) {
        // Its tokens came from the config's seed; nothing can renew them without an app.
        return CommandError{reason::kNotLinked, "Not carried out: " + no_app_message() + "."};
    }
    if (account.record->premium == false && needs_premium(commands)) {
        return CommandError{reason::kPremiumRequired,
                            "Spotify Premium is required to control playback; this account has "
                            "Spotify Free, so the bridge can only show what it plays. (If it was "
                            "just upgraded, the bridge is reading its plan again: try once more "
                            "in a few seconds.)"};
    }
    if (int64_t until = rate_limited_until_ms(account); until > now) {
        return CommandError{reason::kRateLimited,
                            "Spotify's rate limit is in force for another " +
                                describe_duration(until - now) +
                                "; the bridge sends nothing until then. Try again afterwards."};
    }
    return std::nullopt;
}

void Bridge::answer_refusal(Account& account, const std::optional<nlohmann::json>& transaction,
                            const CommandError& refusal) {
    // A Free account asking for control may have been upgraded since its plan was read.
    if (refusal.reason == reason::kPremiumRequired) recheck_plan(account);
    respond(account.name, transaction, refusal);
}

void Bridge::dispatch_commands(Account& account) {
    while (!account.command_in_flight && !account.commands.empty()) {
        const AccountRecord* record = account.record ? &*account.record : nullptr;
        bool expiring = record && record->access_expires_at_ms - clock_.now_ms() < kRefreshAheadMs;
        // A running poll is renewing the token: let it finish, it dispatches us again.
        if (expiring && account.in_flight) return;
        PendingCommand next = std::move(account.commands.front());
        account.commands.pop_front();
        if (auto refusal = refuse_now(account, next.commands, next.received_ms)) {
            answer_refusal(account, next.transaction, *refusal);
            continue;
        }
        CommandRequest request;
        request.account = account.name;
        request.spotify = config_.spotify_for(account.name);
        request.token = TokenSnapshot{record->refresh_token, record->access_token,
                                      record->access_expires_at_ms, !account.in_flight};
        request.commands = next.commands;
        request.known.state = account.published;
        request.known.devices = account.devices;
        request.known.playlists = account.playlists;
        request.known.user_id = record->user_id;
        request.known.last_device_id = account.last_device_id;
        request.rate_window = gate_of(account).window;
        account.command_in_flight = true;
        workers_.submit(
            "command/" + account.name,
            [this, loop = &loop_, clock = &clock_, request = std::move(request),
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

void Bridge::on_command_done(const std::string& name, PendingCommand command,
                             CommandOutcome outcome) {
    auto it = accounts_.find(name);
    if (it == accounts_.end()) return;  // unlinked meanwhile
    Account& account = it->second;
    account.command_in_flight = false;
    gate_of(account).gate.spend(clock_.now_ms(), outcome.calls_made);
    apply_grant(account, outcome.grant, outcome.grant_received_at_ms);
    if (outcome.refresh_deferred && !command.deferred_once) {
        // The token needed renewing while a poll held that right: run again after it.
        command.deferred_once = true;
        account.commands.push_front(std::move(command));
        if (!account.in_flight) poll_now(account);
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
        apply_failure(account, *outcome.auth_error);
    if (outcome.api_error) {
        // A refusal inside a window another request opened is not a new 429.
        if (outcome.api_error->kind == ErrorKind::RateLimited &&
            !is_gate_refusal(*outcome.api_error))
            apply_rate_limit(account, *outcome.api_error);
        if (outcome.api_error->reason == "PREMIUM_REQUIRED" && account.record &&
            account.record->premium != false) {
            account.record->premium = false;  // no more calls for commands that need it
            save_record(account);
            publish_info();
            publish_home_assistant(account);  // read-only entities from now on
        }
    }
    if (outcome.plan && (!outcome.error || outcome.calls_made > 0)) {
        account.last_command_done_ms = clock_.now_ms();
        confirm_after_command(account, command.commands, *outcome.plan, outcome.error.has_value());
    }
    if (outcome.error) {
        spdlog::info("{}: command failed ({}): {}", name, outcome.error->reason,
                     outcome.error->message);
    } else {
        spdlog::debug("{}: command done ({} Spotify calls)", name, outcome.calls_made);
    }
    respond(name, command.transaction, outcome.error);
    dispatch_commands(account);
}

void Bridge::apply_fetched(Account& account, CommandOutcome& outcome) {
    if (outcome.profile && account.record)
        apply_profile(account, *outcome.profile, clock_.now_ms());
    if (outcome.devices) account.schedule.devices_read(clock_.now_ms());
    if (outcome.devices && account.devices != outcome.devices) {
        account.devices = std::move(outcome.devices);
        publish(topics_.devices(account.name), devices_payload(*account.devices).dump(), true);
    }
    if (outcome.playlists) account.schedule.playlists_read(clock_.now_ms());
    if (outcome.playlists && account.playlists != outcome.playlists) {
        account.playlists = std::move(outcome.playlists);
        publish(topics_.playlists(account.name), playlists_payload(*account.playlists).dump(),
                true);
    }
    if (outcome.state) apply_player(account, std::move(*outcome.state));
    publish_home_assistant(account);
}

// Publishes what is certain at once, then lets a poll confirm (sooner when Spotify has to show
// a change the bridge cannot predict, such as the next track).
void Bridge::confirm_after_command(Account& account, const CommandSet& commands,
                                   const CommandPlan& plan, bool partial) {
    if (plan.target && plan.target->id) account.last_device_id = plan.target->id;
    int64_t now = clock_.now_ms();
    if (!partial && plan.predictable && account.published) {
        apply_player(account, predicted_state(*account.published, commands, plan, now));
    }
    if (partial || !plan.predictable) {
        account.schedule.confirm_at(now + kSecondConfirmMs);
        account.urgent_read = true;
        poll_now(account);  // a poll already running started too early: it polls again
        return;
    }
    account.schedule.confirm_at(now + kConfirmPollMs);
    if (!account.in_flight && account.next_poll_at_ms - now > kConfirmPollMs)
        schedule_poll(account, kConfirmPollMs);
}

}  // namespace s2m
