#include "programs/AccountsCommand.h"

#include <map>

#include "adapters/store/FileTokenStore.h"
#include "config/Cli.h"
#include "core/StatePayload.h"

namespace s2m {

int print_accounts(const Config& config, std::ostream& out) {
    std::map<std::string, std::optional<AccountRecord>> accounts;
    try {
        FileTokenStore store(config.state_dir);
        for (const auto& configured : config.accounts)
            accounts[configured.name] = store.load(configured.name);
        for (auto& record : store.load_all()) accounts[record.name] = record;
    } catch (const std::exception& e) {
        out << "cannot read the token store in " << config.state_dir << ": " << e.what() << "\n";
        return kExitCantCreate;
    }
    if (accounts.empty()) {
        out << "No accounts. Link one with `spotify2mqtt link` or on the web page.\n";
        return 0;
    }
    for (const auto& [name, record] : accounts) {
        out << name << ": ";
        if (!record) {
            bool seeded = false;
            for (const auto& configured : config.accounts) {
                if (configured.name == name && configured.refresh_token) seeded = true;
            }
            out << (seeded ? "seeded from the config, not used yet" : "not linked") << "\n";
            continue;
        }
        out << "linked";
        if (record->display_name) out << " as \"" << *record->display_name << "\"";
        if (record->premium) out << (*record->premium ? ", Premium" : ", not Premium");
        if (record->linked_at_ms > 0) {
            out << ", refresh token expires about "
                << iso8601_utc(record->linked_at_ms + kRefreshTokenLifetimeMs).substr(0, 10);
        }
        out << "\n";
    }
    return 0;
}

}  // namespace s2m
