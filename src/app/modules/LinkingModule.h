// Linking and unlinking accounts while the bridge runs (docs/linking.md): the web page's and
// `spotify2mqtt link`'s links, links made by another process (a rescan of the token store), and
// the warnings a link needs: a refresh token that expires soon, a Spotify user linked twice.
//
// Thread rule: loop thread only; the code exchange runs in the "link" worker lane and posts its
// result back.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/BridgeCore.h"
#include "app/LinkJob.h"
#include "app/modules/Module.h"
#include "core/Authorization.h"
#include "ports/JobRunner.h"
#include "ports/LinkPort.h"
#include "ports/Scheduler.h"
#include "ports/TokenStore.h"

namespace s2m {

class LinkingModule : public Module {
  public:
    // `random` makes each link's state and PKCE verifier (core/Authorization.h).
    LinkingModule(BridgeCore& core, Scheduler& loop, JobRunner& workers, TokenStore& store,
                  RandomBytes random)
        : core_(core),
          loop_(loop),
          workers_(workers),
          store_(store),
          pending_links_(std::move(random)) {}

    // The address of Spotify's consent page for a new link.
    Result<std::string> begin_link(const std::optional<std::string>& account);
    using LinkDone = std::function<void(Result<std::string>)>;
    // Finishes a link from the redirect's parameters; `done` gets the account name (on the loop).
    void finish_link(const CallbackParams& params, LinkDone done);
    // Forgets the account: tokens, polling and its retained topics.
    Status unlink(const std::string& name);
    std::vector<AccountView> account_views() const;

    void on_start() override;  // the watchers: refresh-token expiry, the store rescan
    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;
    void on_user_learned(Account& account) override;

  private:
    void complete_link(const PendingAuthorization& pending, Result<RedeemedCode> redeemed,
                       const LinkDone& done);
    // A new or renewed link: (re)start polling, and say so once.
    void adopt_record(AccountRecord record, std::string_view how = "linked");
    void check_refresh_expiry();  // warns 14 days ahead; re-arms itself
    void warn_if_expiring(Account& account);
    void rescan_store();  // links made by another process; re-arms itself

    BridgeCore& core_;
    Scheduler& loop_;
    JobRunner& workers_;
    TokenStore& store_;
    PendingAuthorizations pending_links_;
    std::map<std::string, bool> expiry_warned_;  // the 14-day refresh-token warning was given
};

}  // namespace s2m
