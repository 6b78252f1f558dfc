// What an account's link allows (core/Scopes.h), for every module: whether it may use a feature,
// and which scopes it lacks. A module that reads or changes something behind a newer scope asks
// account_may_use() first, and skips (a read) or refuses with MISSING_SCOPE (a command) instead
// of spending a call Spotify would answer 403 (docs/architecture.md).
//
// Thread rule: loop thread only (it reads the account).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "app/Account.h"
#include "core/Scopes.h"

namespace s2m {

// The scopes the account's link granted (the pre-2026-12 list when the record has none); empty
// when it is not linked.
inline std::set<std::string> account_scopes(const Account& account) {
    if (!account.record) return {};
    return granted_scopes(account.record->scope);
}

inline bool account_may_use(const Account& account, Feature feature) {
    return may_use(feature, account_scopes(account));
}

// The scopes the bridge asks for that the account lacks. Empty while Spotify has not answered
// for this link yet (a token seeded from the config and not yet renewed): its first renewal
// tells the granted scopes, and the account should not be told to link again before that.
inline std::vector<std::string> account_missing_scopes(const Account& account) {
    if (!account.record || account.reauth_required) return {};
    if (account.record->scope.empty() && account.record->access_token.empty()) return {};
    return missing_scopes(account_scopes(account));
}

}  // namespace s2m
