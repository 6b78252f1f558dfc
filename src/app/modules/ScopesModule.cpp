#include "app/modules/ScopesModule.h"

#include <spdlog/spdlog.h>

#include "app/AccountScopes.h"

namespace s2m {

void ScopesModule::on_account_changed(Account& account) {
    std::vector<std::string> missing = account_missing_scopes(account);
    if (missing.empty()) return;
    // Once per link: linking again gives a new linked_at_ms, and asks anew.
    auto [told, first] = told_.try_emplace(account.name, account.record->linked_at_ms);
    if (!first && told->second == account.record->linked_at_ms) return;
    told->second = account.record->linked_at_ms;

    std::string scopes;
    for (const std::string& scope : missing) scopes += (scopes.empty() ? "" : ", ") + scope;
    std::string features;
    for (Feature feature : missing_features(account_scopes(account)))
        features += (features.empty() ? "" : ", ") + std::string(scopes_of(feature).what);
    std::string message = std::string(kLinkAgainForScopes) +
                          ": the account was linked before the bridge asked for " + scopes +
                          ", so " + (features.empty() ? "some features" : features) +
                          " stay off (everything else works). Use \"Link again\" on the web "
                          "page or `spotify2mqtt link --account " +
                          account.name + "`; it keeps its name, topics and Home Assistant device";
    spdlog::warn("{}: {}", account.name, message);
    core_.publish_event("missing_scopes", account.name, message);
}

}  // namespace s2m
