#include "app/modules/SearchModule.h"

#include <spdlog/spdlog.h>

#include "app/modules/BridgeResponses.h"
#include "core/CommandPlan.h"  // command_error
#include "core/JsonFields.h"

namespace s2m {

namespace {
// A person's searches; more waiting than this is a loop in some automation, not a person.
constexpr size_t kMaxWaitingSearches = 20;
}  // namespace

void SearchModule::on_account_added(Account& account) {
    queues_[account.name] = Queue{};
}

void SearchModule::on_account_removed(const std::string& name) {
    queues_.erase(name);
}

void SearchModule::on_poll_finished(Account& account) {
    post_for(account.name, [this](Account& found) { dispatch(found); });
}

bool SearchModule::on_message(const MqttMessage& message) {
    if (message.topic != core_.topics().base() + "/bridge/request/search") return false;
    handle(message.payload);
    return true;
}

void SearchModule::respond(const std::optional<nlohmann::json>& transaction,
                           const std::optional<CommandError>& error, nlohmann::json data) {
    publish_bridge_response(core_, "search", transaction, error, std::move(data));
}

void SearchModule::handle(const std::string& payload) {
    nlohmann::json request = nlohmann::json::parse(payload, nullptr, false);
    if (!request.is_object()) {
        respond(std::nullopt,
                CommandError{reason::kInvalidPayload,
                             std::string("the search request must be a JSON object such as "
                                         "{\"account\":\"alice\",\"query\":\"Daft Punk\"}; got ") +
                                 (request.is_discarded() ? "text that is not JSON"
                                                         : json_type_name(request))});
        return;
    }
    std::optional<nlohmann::json> transaction;
    if (auto it = request.find("transaction"); it != request.end()) transaction = *it;
    auto parsed = parse_search_request(request);
    if (!parsed) {
        respond(transaction, CommandError(parsed.error()));
        return;
    }
    Account* account = core_.find(parsed->account);
    if (!account) {
        respond(transaction, unknown_account_error(core_, parsed->account));
        return;
    }
    if (auto refusal = refuse_now(*account)) {
        respond(transaction, *refusal);
        return;
    }
    Queue& queue = queues_[account->name];
    if (queue.searches.size() >= kMaxWaitingSearches) {
        respond(transaction, CommandError{reason::kRateLimited,
                                          "Too many searches are waiting for this account; send "
                                          "this one again when the others are answered."});
        return;
    }
    queue.searches.push_back(Pending{std::move(parsed->query), std::move(transaction), false});
    dispatch(*account);
}

// What can be answered without a call: the rules of commands, Premium aside (Free accounts may
// search).
std::optional<CommandError> SearchModule::refuse_now(const Account& account) const {
    if (auto refusal = link_refusal(account)) return refusal;
    return rate_limit_refusal(account);
}

void SearchModule::dispatch(Account& account) {
    Queue& queue = queues_[account.name];
    if (queue.in_flight || queue.searches.empty()) return;
    if (auto refusal = refuse_now(account)) {
        while (!queue.searches.empty()) {
            respond(queue.searches.front().transaction, *refusal);
            queue.searches.pop_front();
        }
        return;
    }
    const AccountRecord& record = *account.record;
    if (record.access_expires_at_ms - core_.clock().now_ms() < kRefreshAheadMs) {
        // Only a poll or a command renews the token; the poll's end dispatches again.
        if (!polls_.polling(account.name)) polls_.poll_now(account);
        return;
    }
    Pending next = std::move(queue.searches.front());
    queue.searches.pop_front();
    SearchJobRequest request;
    request.account = account.name;
    request.spotify = core_.config().spotify_for(account.name);
    request.token = TokenSnapshot{record.refresh_token, record.access_token,
                                  record.access_expires_at_ms, /*may_refresh=*/false};
    request.query = next.query;
    request.rate_window = gates_.gate_of(account).window;
    queue.in_flight = true;
    workers_.submit("search/" + account.name, [this, loop = &loop_, clock = &core_.clock(),
                                               request = std::move(request),
                                               next = std::move(next)](HttpClient& http) mutable {
        SearchJobOutcome outcome;
        try {
            outcome = run_search(http, request, [clock] { return clock->now_ms(); });
        } catch (const std::exception& e) {
            outcome = SearchJobOutcome{};
            outcome.error = Error{ErrorKind::Internal, e.what()};
        }
        loop->post([this, name = request.account, next = std::move(next),
                    outcome = std::move(outcome)]() mutable {
            on_search_done(name, std::move(next), std::move(outcome));
        });
    });
}

void SearchModule::on_search_done(const std::string& name, Pending search,
                                  SearchJobOutcome outcome) {
    Account* found = core_.find(name);
    if (!found) return;  // unlinked meanwhile
    Account& account = *found;
    Queue& queue = queues_[name];
    queue.in_flight = false;
    if (outcome.called) gates_.gate_of(account).gate.spend(core_.clock().now_ms(), 1);
    if (outcome.refresh_deferred && !search.deferred_once) {
        // The token must be renewed first: a poll does that, then this search runs again.
        search.deferred_once = true;
        queue.searches.push_front(std::move(search));
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
        error = command_error(*outcome.error, endpoint::search(search.query).action, {});
    }
    if (error) spdlog::info("{}: search failed ({}): {}", name, error->reason, error->message);
    respond(search.transaction, error,
            outcome.results ? results_json(*outcome.results) : nlohmann::json());
    dispatch(account);
}

}  // namespace s2m
