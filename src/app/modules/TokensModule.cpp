#include "app/modules/TokensModule.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace s2m {

namespace {
constexpr int64_t kFirstStoreRetryMs = 5000;
constexpr int64_t kMaxStoreRetryMs = 5 * 60 * 1000;
}  // namespace

void TokensModule::apply_grant(Account& account, const SessionResult& job) {
    const std::optional<TokenGrant>& grant = job.grant;
    if (!grant || !account.record) return;
    AccountRecord& record = *account.record;
    record.access_token = grant->access_token;
    record.access_expires_at_ms = job.grant_received_at_ms + grant->expires_in_s * 1000;
    if (!grant->scope.empty()) record.scope = grant->scope;
    bool rotated = grant->refresh_token && *grant->refresh_token != record.refresh_token;
    if (rotated) record.refresh_token = *grant->refresh_token;
    // Persist at once: a rotated refresh token lost in a crash would unlink the account.
    save_record(account);
    spdlog::debug("{}: access token refreshed{}", account.name,
                  rotated ? " (refresh token rotated)" : "");
}

void TokensModule::save_record(Account& account) {
    if (!account.record) return;
    Status saved = store_.save(*account.record);
    if (!saved) {
        store_failed(account, saved.error());
    } else if (account.store_error) {
        store_recovered(account);
    }
}

void TokensModule::store_failed(Account& account, const Error& error) {
    Saving& saving = saving_[account.name];
    ++saving.failures;
    std::string message =
        "the account's newest token cannot be saved (" + error.message +
        "). It is kept in memory and saving is retried; make the state directory " +
        core_.config().state_dir +
        " writable again (free disk space; check its owner, its mode and `lsattr` for the "
        "immutable flag) and do not restart the bridge before this message is gone, or the "
        "account must be linked again";
    bool first = !account.store_error;
    account.store_error = message;
    int64_t delay =
        std::min(kMaxStoreRetryMs, kFirstStoreRetryMs << std::min(saving.failures - 1, 10));
    loop_.cancel(saving.retry_timer);
    saving.retry_timer =
        loop_.post_after(std::chrono::milliseconds(delay), [this, name = account.name] {
            if (Account* again = core_.find(name)) save_record(*again);
        });
    metrics_.add("spotify2mqtt_token_store_failures_total");
    if (!first) {
        spdlog::warn("{}: the token still cannot be saved; next try in {} s", account.name,
                     delay / 1000);
        return;
    }
    spdlog::error("{}: {}", account.name, message);
    core_.publish_event("token_not_saved", account.name, message);
    show_store_state(account);
}

void TokensModule::store_recovered(Account& account) {
    account.store_error.reset();
    if (auto it = saving_.find(account.name); it != saving_.end()) {
        loop_.cancel(it->second.retry_timer);
        saving_.erase(it);
    }
    spdlog::info("{}: the token is saved again", account.name);
    core_.publish_event("token_saved", account.name, "the account's newest token is saved again");
    show_store_state(account);
}

void TokensModule::show_store_state(Account& account) {
    refresh_health_warnings();
    if (account.availability) core_.publish_availability(account);
    core_.publish_info();
    core_.account_changed(account);  // the diagnostics' last_error
}

void TokensModule::on_account_removed(const std::string& name) {
    if (auto it = saving_.find(name); it != saving_.end()) {
        loop_.cancel(it->second.retry_timer);
        saving_.erase(it);
    }
    refresh_health_warnings();
}

void TokensModule::refresh_health_warnings() {
    std::lock_guard lock(health_mutex_);
    health_warnings_.clear();
    for (const auto& [name, account] : core_.accounts()) {
        if (account.store_error) health_warnings_.push_back(name + ": " + *account.store_error);
    }
}

std::vector<std::string> TokensModule::health_warnings() const {
    std::lock_guard lock(health_mutex_);
    return health_warnings_;
}

}  // namespace s2m
