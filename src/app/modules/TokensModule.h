// Saving account records, and what happens when the token store refuses (a full disk, an
// immutable or read-only state directory). Spotify may already have rotated the refresh token,
// so the one in the file is dead: the newest lives only in memory. The bridge keeps polling with
// it, retries the write with backoff, and says so wherever a person looks (README,
// "Troubleshooting"), because a restart before the write succeeds would unlink the account.
//
// Thread rule: loop thread only, except health_warnings(), which any thread may call (/healthz
// reads it without waiting for the loop).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/BridgeCore.h"
#include "app/modules/Module.h"
#include "core/TokenGrant.h"
#include "ports/Scheduler.h"
#include "ports/TokenStore.h"
#include "spotify/WebApi.h"

namespace s2m {

class TokensModule : public Module {
  public:
    TokensModule(BridgeCore& core, Scheduler& loop, TokenStore& store, Metrics& metrics)
        : core_(core), loop_(loop), store_(store), metrics_(metrics) {}

    // Saves the account's record; a failure is shown everywhere and retried with backoff while
    // the newest token stays in memory.
    void save_record(Account& account);
    // A job (poll or command) renewed the access token, and maybe rotated the refresh token:
    // keep and save it. Nothing to do when the job renewed nothing.
    void apply_grant(Account& account, const SessionResult& job);
    // Problems a person must fix while the bridge still works, one sentence each. Any thread.
    std::vector<std::string> health_warnings() const;

    void on_account_removed(const std::string& name) override;

  private:
    struct Saving {
        int failures = 0;  // consecutive failed saves, for the retry backoff
        Scheduler::TimerId retry_timer = 0;
    };

    void store_failed(Account& account, const Error& error);
    void store_recovered(Account& account);
    void show_store_state(Account& account);  // availability, info, diagnostics, /healthz
    void refresh_health_warnings();

    BridgeCore& core_;
    Scheduler& loop_;
    TokenStore& store_;
    Metrics& metrics_;
    std::map<std::string, Saving> saving_;  // accounts whose newest record is not saved
    mutable std::mutex health_mutex_;       // guards health_warnings_ (read by the web threads)
    std::vector<std::string> health_warnings_;
};

}  // namespace s2m
