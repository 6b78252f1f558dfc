// bridge/request/search (docs/mqtt.md#search): searches Spotify's catalogue with one account and
// answers on bridge/response/search. The request is checked on the loop (a bad one is answered at
// once, without a call); the search runs as a SearchJob in the account's own lane
// (search/<account>), one at a time per account, under its app's rate gate. The job never renews
// the token: when it is about to expire, a poll renews it first.
//
// Thread rule: loop thread only; the SearchJob runs on a worker and posts its outcome back.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/SearchJob.h"
#include "app/modules/JobModule.h"
#include "app/modules/PollingModule.h"
#include "core/Command.h"

namespace s2m {

class SearchModule : public JobModule {
  public:
    SearchModule(const JobPorts& ports, PollControl& polls) : JobModule(ports), polls_(polls) {}

    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;
    void on_poll_finished(Account& account) override;  // a search may wait for its token
    bool on_message(const MqttMessage& message) override;

  private:
    struct Pending {
        SearchQuery query;
        std::optional<nlohmann::json> transaction;
        bool deferred_once = false;  // already waited once for a token renewal
    };
    struct Queue {
        std::deque<Pending> searches;
        bool in_flight = false;
    };

    void handle(const std::string& payload);
    std::optional<CommandError> refuse_now(const Account& account) const;
    void dispatch(Account& account);
    void on_search_done(const std::string& name, Pending search, SearchJobOutcome outcome);
    void respond(const std::optional<nlohmann::json>& transaction,
                 const std::optional<CommandError>& error, nlohmann::json data = nullptr);

    PollControl& polls_;
    std::map<std::string, Queue> queues_;
};

}  // namespace s2m
