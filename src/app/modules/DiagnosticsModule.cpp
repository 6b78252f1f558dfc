#include "app/modules/DiagnosticsModule.h"

#include "app/AccountScopes.h"
#include "core/Discovery.h"

namespace s2m {

void DiagnosticsModule::on_account_added(Account& account) {
    published_[account.name].clear();
}

void DiagnosticsModule::on_account_removed(const std::string& name) {
    published_.erase(name);
    core_.publish(core_.topics().account(name) + "/diagnostics", "", true);
}

void DiagnosticsModule::on_republish() {
    for (auto& [name, account] : core_.accounts()) {
        published_[name].clear();
        publish(account);
    }
}

void DiagnosticsModule::publish(Account& account) {
    Diagnostics d;
    d.status = account.status();
    if (!account.last_error.empty()) d.last_error = account.last_error;
    if (account.store_error) d.last_error = *account.store_error;  // the one a person must fix
    if (int64_t until = gates_.gate_of(account).gate.closed_until_ms(); until > 0)
        d.rate_limited_until_ms = until;
    if (account.record && account.record->linked_at_ms > 0)
        d.refresh_token_expires_at_ms = account.record->linked_at_ms + kRefreshTokenLifetimeMs;
    d.missing_scopes = account_missing_scopes(account);
    std::string payload = diagnostics_payload(d, core_.clock().now_ms()).dump();
    std::string& last = published_[account.name];
    if (payload == last) return;
    last = payload;
    core_.publish(core_.topics().account(account.name) + "/diagnostics", payload, true);
}

}  // namespace s2m
