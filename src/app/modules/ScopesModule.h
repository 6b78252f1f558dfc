// Accounts linked before a feature needed a new scope (docs/linking.md#scopes): says so once per
// link, in the log and as a `missing_scopes` bridge/event, when the account's granted scopes are
// known. The diagnostics (DiagnosticsModule), the web page (LinkingModule::account_views) and the
// MISSING_SCOPE refusal (CommandsModule) read the same app/AccountScopes.h.
//
// Thread rule: loop thread only.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "app/BridgeCore.h"
#include "app/modules/Module.h"

namespace s2m {

class ScopesModule : public Module {
  public:
    explicit ScopesModule(BridgeCore& core) : core_(core) {}

    // Called after every change a person sees, token renewals included; the check is cheap.
    void on_account_changed(Account& account) override;
    void on_account_removed(const std::string& name) override { told_.erase(name); }

  private:
    BridgeCore& core_;
    std::map<std::string, int64_t> told_;  // account → linked_at_ms of the link it was told for
};

}  // namespace s2m
