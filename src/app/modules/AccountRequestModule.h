// What the account-bound bridge requests (bridge/request/search, bridge/request/library;
// docs/mqtt.md#bridge-requests) share: the request is checked on the loop (a bad one, or one
// the account cannot use now, is answered at once, without a call), then waits in its account's
// queue; the job runs in the account's own worker lane (<name>/<account>), one at a time per
// account, under its app's rate gate. The job never renews the token: when it is about to
// expire, a poll renews it first and the poll's end dispatches again. Each kind of request is an
// AccountRequestKind: its words, how it is parsed, what it needs beyond the rules of commands,
// and its job.
//
// Thread rule: loop thread only; the job runs on a worker and posts its outcome back.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "app/modules/BridgeResponses.h"
#include "app/modules/JobModule.h"
#include "app/modules/PollingModule.h"
#include "core/Command.h"
#include "core/CommandPlan.h"  // command_error
#include "core/JsonFields.h"

namespace s2m {

// What one request's job brought back, whatever it read.
struct RequestOutcome {
    int calls = 0;                  // calls that went out (spent from the rate gate)
    bool refresh_deferred = false;  // the token must be renewed first (by a poll)
    std::optional<Error> error;     // Spotify's answer, the network's, or the token's
    nlohmann::json data;            // the answer's data
};

// `Request` is what the request's parser returns: {account, query}.
template <typename Request>
struct AccountRequestKind {
    using Query = decltype(Request::query);
    const char* name;     // "search": the topics bridge/request|response/<name>, the lane's prefix
    const char* failed;   // the log's words for a failure: "search" in "alice: search failed"
    const char* example;  // a request the refusal of a payload that is no JSON object shows
    const char* waiting;  // "searches": too many of these are waiting (RATE_LIMITED)
    Result<Request> (*parse)(const nlohmann::json& request);
    // What the query needs beyond the rules of commands (a scope); nullptr: nothing.
    std::optional<CommandError> (*refusal)(const Account& account, const Query& query);
    std::string (*action)(const Query& query);  // what the error sentences call the job's call
    // The job, on a worker: the calls for `query` with `request`'s token, which it may not renew
    // (an expiring one comes back as refresh_deferred).
    RequestOutcome (*run)(HttpClient& http, const JobRequest& request, const Query& query,
                          const std::function<int64_t()>& now_ms);
};

template <typename Request>
class AccountRequestModule : public JobModule {
  public:
    using Kind = AccountRequestKind<Request>;
    using Query = typename Kind::Query;

    AccountRequestModule(const JobPorts& ports, PollControl& polls, const Kind& kind)
        : JobModule(ports), polls_(polls), kind_(kind) {}

    void on_account_added(Account& account) override { queues_[account.name] = Queue{}; }
    void on_account_removed(const std::string& name) override { queues_.erase(name); }
    // A request may wait for its token.
    void on_poll_finished(Account& account) override {
        post_for(account.name, [this](Account& found) { dispatch(found); });
    }
    bool on_message(const MqttMessage& message) override {
        if (message.topic != core_.topics().base() + "/bridge/request/" + kind_.name) return false;
        handle(message.payload);
        return true;
    }

  private:
    // A person's requests; more waiting than this is a loop in some automation, not a person.
    static constexpr size_t kMaxWaiting = 20;

    struct Pending {
        Query query;
        std::optional<nlohmann::json> transaction;
        bool deferred_once = false;  // already waited once for a token renewal
    };
    struct Queue {
        std::deque<Pending> waiting;
        bool in_flight = false;
    };

    void respond(const std::optional<nlohmann::json>& transaction,
                 const std::optional<CommandError>& error, nlohmann::json data = nullptr) {
        publish_bridge_response(core_, kind_.name, transaction, error, std::move(data));
    }

    void handle(const std::string& payload) {
        nlohmann::json request = nlohmann::json::parse(payload, nullptr, false);
        if (!request.is_object()) {
            respond(std::nullopt,
                    CommandError{reason::kInvalidPayload,
                                 "the " + std::string(kind_.name) +
                                     " request must be a JSON object such as " + kind_.example +
                                     "; got " +
                                     (request.is_discarded() ? "text that is not JSON"
                                                             : json_type_name(request))});
            return;
        }
        std::optional<nlohmann::json> transaction;
        if (auto it = request.find("transaction"); it != request.end()) transaction = *it;
        Result<Request> parsed = kind_.parse(request);
        if (!parsed) {
            respond(transaction, CommandError(parsed.error()));
            return;
        }
        Account* account = core_.find(parsed->account);
        if (!account) {
            respond(transaction, unknown_account_error(core_, parsed->account));
            return;
        }
        if (auto refusal = refuse_now(*account, parsed->query)) {
            respond(transaction, *refusal);
            return;
        }
        Queue& queue = queues_[account->name];
        if (queue.waiting.size() >= kMaxWaiting) {
            respond(transaction, CommandError{reason::kRateLimited,
                                              "Too many " + std::string(kind_.waiting) +
                                                  " are waiting for this account; send this one "
                                                  "again when the others are answered."});
            return;
        }
        queue.waiting.push_back(Pending{std::move(parsed->query), std::move(transaction), false});
        dispatch(*account);
    }

    // What can be answered without a call: the rules of commands (Premium aside: Free accounts
    // may search and have a library too), and what the query needs.
    std::optional<CommandError> refuse_now(const Account& account, const Query& query) const {
        if (auto refusal = link_refusal(account)) return refusal;
        if (kind_.refusal) {
            if (auto refusal = kind_.refusal(account, query)) return refusal;
        }
        return rate_limit_refusal(account);
    }

    // Starts the account's next request unless one runs; those it cannot use now are answered.
    void dispatch(Account& account) {
        Queue& queue = queues_[account.name];
        while (!queue.in_flight && !queue.waiting.empty()) {
            if (auto refusal = refuse_now(account, queue.waiting.front().query)) {
                respond(queue.waiting.front().transaction, *refusal);
                queue.waiting.pop_front();
                continue;
            }
            if (account.record->access_expires_at_ms - core_.clock().now_ms() < kRefreshAheadMs) {
                // Only a poll or a command renews the token; the poll's end dispatches again.
                if (!polls_.polling(account.name)) polls_.poll_now(account);
                return;
            }
            Pending next = std::move(queue.waiting.front());
            queue.waiting.pop_front();
            queue.in_flight = true;
            start(account, std::move(next));
        }
    }

    void start(const Account& account, Pending next) {
        workers_.submit(std::string(kind_.name) + "/" + account.name,
                        [this, loop = &loop_, clock = &core_.clock(), run = kind_.run,
                         request = side_read_request(account),
                         next = std::move(next)](HttpClient& http) mutable {
                            RequestOutcome outcome;
                            try {
                                outcome = run(http, request, next.query,
                                              [clock] { return clock->now_ms(); });
                            } catch (const std::exception& e) {
                                outcome = RequestOutcome{};
                                outcome.error = Error{ErrorKind::Internal, e.what()};
                            }
                            loop->post([this, name = request.account, next = std::move(next),
                                        outcome = std::move(outcome)]() mutable {
                                on_done(name, std::move(next), std::move(outcome));
                            });
                        });
    }

    void on_done(const std::string& name, Pending request, RequestOutcome outcome) {
        Account* found = core_.find(name);
        if (!found) return;  // unlinked meanwhile
        Account& account = *found;
        Queue& queue = queues_[name];
        queue.in_flight = false;
        if (outcome.calls > 0)
            gates_.gate_of(account).gate.spend(core_.clock().now_ms(), outcome.calls);
        if (outcome.refresh_deferred && !request.deferred_once) {
            // The token must be renewed first: a poll does that, then this request runs again.
            request.deferred_once = true;
            queue.waiting.push_front(std::move(request));
            if (!polls_.polling(name)) polls_.poll_now(account);
            return;
        }
        std::optional<CommandError> error;
        if (outcome.refresh_deferred) {
            error = CommandError{reason::kSpotifyError,
                                 "Not carried out: the access token is being renewed. Try again "
                                 "in a moment."};
        } else if (outcome.error) {
            if (outcome.error->kind == ErrorKind::InvalidGrant)
                polls_.apply_failure(account, *outcome.error);
            if (outcome.error->kind == ErrorKind::RateLimited && !is_gate_refusal(*outcome.error))
                polls_.apply_rate_limit(account, *outcome.error);
            error = command_error(*outcome.error, kind_.action(request.query), {});
        }
        if (error)
            spdlog::info("{}: {} failed ({}): {}", name, kind_.failed, error->reason,
                         error->message);
        respond(request.transaction, error, std::move(outcome.data));
        dispatch(account);
    }

    PollControl& polls_;
    const Kind kind_;
    std::map<std::string, Queue> queues_;
};

}  // namespace s2m
