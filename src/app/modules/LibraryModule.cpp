#include "app/modules/LibraryModule.h"

#include <spdlog/spdlog.h>

#include "app/AccountScopes.h"
#include "app/modules/BridgeResponses.h"
#include "core/CommandPlan.h"  // command_error
#include "core/JsonFields.h"

namespace s2m {

namespace {
// A person's requests; more waiting than this is a loop in some automation, not a person.
constexpr size_t kMaxWaitingReads = 20;

// What the messages call the read of `query`.
std::string action_of(const LibraryQuery& query) {
    return query.type == LibraryType::Artists
               ? endpoint::get_followed_artists(std::nullopt, query.limit).action
               : endpoint::get_saved_items(query.type, query.offset, query.limit).action;
}
}  // namespace

void LibraryModule::on_account_added(Account& account) {
    queues_[account.name] = Queue{};
}

void LibraryModule::on_account_removed(const std::string& name) {
    queues_.erase(name);
}

void LibraryModule::on_poll_finished(Account& account) {
    loop_.post([this, name = account.name] {
        if (Account* found = core_.find(name)) dispatch(*found);
    });
}

bool LibraryModule::on_message(const MqttMessage& message) {
    if (message.topic != core_.topics().base() + "/bridge/request/library") return false;
    handle(message.payload);
    return true;
}

void LibraryModule::respond(const std::optional<nlohmann::json>& transaction,
                            const std::optional<CommandError>& error, nlohmann::json data) {
    publish_bridge_response(core_, "library", transaction, error, std::move(data));
}

void LibraryModule::handle(const std::string& payload) {
    nlohmann::json request = nlohmann::json::parse(payload, nullptr, false);
    if (!request.is_object()) {
        respond(std::nullopt,
                CommandError{reason::kInvalidPayload,
                             std::string("the library request must be a JSON object such as "
                                         "{\"account\":\"alice\",\"type\":\"tracks\"}; got ") +
                                 (request.is_discarded() ? "text that is not JSON"
                                                         : json_type_name(request))});
        return;
    }
    std::optional<nlohmann::json> transaction;
    if (auto it = request.find("transaction"); it != request.end()) transaction = *it;
    auto parsed = parse_library_request(request);
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
    if (queue.reads.size() >= kMaxWaitingReads) {
        respond(transaction, CommandError{reason::kRateLimited,
                                          "Too many library requests are waiting for this "
                                          "account; send this one again when the others are "
                                          "answered."});
        return;
    }
    queue.reads.push_back(Pending{parsed->query, std::move(transaction), false});
    dispatch(*account);
}

// What can be answered without a call: the rules of commands (Premium aside: Free accounts have
// a library too), and the scope the list needs (docs/linking.md#scopes).
std::optional<CommandError> LibraryModule::refuse_now(const Account& account,
                                                      const LibraryQuery& query) const {
    if (auto refusal = link_refusal(account)) return refusal;
    const FeatureScopes& needs = scopes_of(library_feature(query.type));
    if (!account_may_use(account, needs.feature)) {
        std::string scopes;
        for (const char* scope : needs.scopes)
            scopes += (scopes.empty() ? "" : ", ") + std::string(scope);
        return missing_scope_error("listing " + std::string(needs.what), scopes, account.name);
    }
    return rate_limit_refusal(account);
}

void LibraryModule::dispatch(Account& account) {
    Queue& queue = queues_[account.name];
    if (queue.in_flight || queue.reads.empty()) return;
    if (auto refusal = refuse_now(account, queue.reads.front().query)) {
        respond(queue.reads.front().transaction, *refusal);
        queue.reads.pop_front();
        dispatch(account);
        return;
    }
    const AccountRecord& record = *account.record;
    if (record.access_expires_at_ms - core_.clock().now_ms() < kRefreshAheadMs) {
        // Only a poll or a command renews the token; the poll's end dispatches again.
        if (!polls_.polling(account.name)) polls_.poll_now(account);
        return;
    }
    Pending next = std::move(queue.reads.front());
    queue.reads.pop_front();
    LibraryJobRequest request;
    static_cast<JobRequest&>(request) = side_read_request(account);
    request.query = next.query;
    queue.in_flight = true;
    workers_.submit("library/" + account.name, [this, loop = &loop_, clock = &core_.clock(),
                                                request = std::move(request),
                                                next = std::move(next)](HttpClient& http) mutable {
        LibraryJobOutcome outcome;
        try {
            outcome = run_library(http, request, [clock] { return clock->now_ms(); });
        } catch (const std::exception& e) {
            outcome = LibraryJobOutcome{};
            outcome.error = Error{ErrorKind::Internal, e.what()};
        }
        loop->post([this, name = request.account, next = std::move(next),
                    outcome = std::move(outcome)]() mutable {
            on_read_done(name, std::move(next), std::move(outcome));
        });
    });
}

void LibraryModule::on_read_done(const std::string& name, Pending read, LibraryJobOutcome outcome) {
    Account* found = core_.find(name);
    if (!found) return;  // unlinked meanwhile
    Account& account = *found;
    Queue& queue = queues_[name];
    queue.in_flight = false;
    if (outcome.calls > 0)
        gates_.gate_of(account).gate.spend(core_.clock().now_ms(), outcome.calls);
    if (outcome.refresh_deferred && !read.deferred_once) {
        // The token must be renewed first: a poll does that, then this read runs again.
        read.deferred_once = true;
        queue.reads.push_front(std::move(read));
        if (!polls_.polling(name)) polls_.poll_now(account);
        return;
    }
    std::optional<CommandError> error;
    if (outcome.refresh_deferred) {
        error = CommandError{reason::kSpotifyError,
                             "Not carried out: the access token is being renewed. Try again in a "
                             "moment."};
    } else if (outcome.error) {
        if (outcome.error->kind == ErrorKind::InvalidGrant)
            polls_.apply_failure(account, *outcome.error);
        if (outcome.error->kind == ErrorKind::RateLimited && !is_gate_refusal(*outcome.error))
            polls_.apply_rate_limit(account, *outcome.error);
        error = command_error(*outcome.error, action_of(read.query), {});
    }
    if (error)
        spdlog::info("{}: library read failed ({}): {}", name, error->reason, error->message);
    respond(read.transaction, error,
            outcome.page ? library_page_json(*outcome.page) : nlohmann::json());
    dispatch(account);
}

}  // namespace s2m
