// bridge/request/library (docs/mqtt.md#library): one page of what an account saved (tracks,
// albums, shows, episodes, audiobooks) or of the artists it follows, answered on
// bridge/response/library. The request is checked on the loop (a bad one, or one the account's
// link does not allow, is answered at once, without a call); the read runs as a LibraryJob in
// the account's own lane (library/<account>), one at a time per account, under its app's rate
// gate. The job never renews the token: when it is about to expire, a poll renews it first.
//
// Thread rule: loop thread only; the LibraryJob runs on a worker and posts its outcome back.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/LibraryJob.h"
#include "app/modules/JobModule.h"
#include "app/modules/PollingModule.h"
#include "core/Command.h"

namespace s2m {

class LibraryModule : public JobModule {
  public:
    LibraryModule(const JobPorts& ports, PollControl& polls) : JobModule(ports), polls_(polls) {}

    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;
    void on_poll_finished(Account& account) override;  // a read may wait for its token
    bool on_message(const MqttMessage& message) override;

  private:
    struct Pending {
        LibraryQuery query;
        std::optional<nlohmann::json> transaction;
        bool deferred_once = false;  // already waited once for a token renewal
    };
    struct Queue {
        std::deque<Pending> reads;
        bool in_flight = false;
    };

    void handle(const std::string& payload);
    std::optional<CommandError> refuse_now(const Account& account, const LibraryQuery& query) const;
    void dispatch(Account& account);
    void on_read_done(const std::string& name, Pending read, LibraryJobOutcome outcome);
    void respond(const std::optional<nlohmann::json>& transaction,
                 const std::optional<CommandError>& error, nlohmann::json data = nullptr);

    PollControl& polls_;
    std::map<std::string, Queue> queues_;
};

}  // namespace s2m
