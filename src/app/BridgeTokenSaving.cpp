// Bridge: saving account records, and what happens when the token store refuses (a full disk, an
// immutable or read-only state directory). Spotify may already have rotated the refresh token,
// so the one in the file is dead: the newest lives only in memory. The bridge keeps polling with
// it, retries the write with backoff, and says so wherever a person looks (README,
// "Troubleshooting"), because a restart before the write succeeds would unlink the account.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "app/Bridge.h"

namespace s2m {

namespace {
constexpr int64_t kFirstStoreRetryMs = 5000;
constexpr int64_t kMaxStoreRetryMs = 5 * 60 * 1000;
}  // namespace

void Bridge::save_record(Account& account) {
    if (!account.record) return;
    Status saved = store_.save(*account.record);
    if (!saved) {
        store_failed(account, saved.error());
    } else if (account.store_error) {
        store_recovered(account);
    }
}

void Bridge::store_failed(Account& account, const Error& error) {
    ++account.store_failures;
    std::string message =
        "the account's newest token cannot be saved (" + error.message +
        "). It is kept in memory and saving is retried; make the state directory " +
        config_.state_dir +
        " writable again (free disk space; check its owner, its mode and `lsattr` for the "
        "immutable flag) and do not restart the bridge before this message is gone, or the "
        "account must be linked again";
    bool first = !account.store_error;
    account.store_error = message;
    int64_t delay =
        std::min(kMaxStoreRetryMs, kFirstStoreRetryMs << std::min(account.store_failures - 1, 10));
    loop_.cancel(account.store_retry_timer);
    account.store_retry_timer =
        loop_.post_after(std::chrono::milliseconds(delay), [this, name = account.name] {
            if (auto it = accounts_.find(name); it != accounts_.end()) save_record(it->second);
        });
    metrics_.add("spotify2mqtt_token_store_failures_total");
    if (!first) {
        spdlog::warn("{}: the token still cannot be saved; next try in {} s", account.name,
                     delay / 1000);
        return;
    }
    spdlog::error("{}: {}", account.name, message);
    publish_event("token_not_saved", account.name, message);
    show_store_state(account);
}

void Bridge::store_recovered(Account& account) {
    account.store_error.reset();
    account.store_failures = 0;
    loop_.cancel(account.store_retry_timer);
    account.store_retry_timer = 0;
    spdlog::info("{}: the token is saved again", account.name);
    publish_event("token_saved", account.name, "the account's newest token is saved again");
    show_store_state(account);
}

void Bridge::show_store_state(Account& account) {
    refresh_health_warnings();
    if (account.availability)
        publish(topics_.availability(account.name), shown_availability(account), true);
    publish_info();
    publish_home_assistant(account);  // the diagnostics' last_error
}

std::string Bridge::shown_availability(const Account& account) const {
    Availability shown = account.availability.value_or(Availability::down("starting"));
    if (shown.online && account.store_error) {
        shown.reason = "token_not_saved";
        shown.message = *account.store_error;
    }
    return availability_payload(shown).dump();
}

void Bridge::refresh_health_warnings() {
    std::lock_guard lock(health_mutex_);
    health_warnings_.clear();
    for (const auto& [name, account] : accounts_) {
        if (account.store_error) health_warnings_.push_back(name + ": " + *account.store_error);
    }
}

std::vector<std::string> Bridge::health_warnings() const {
    std::lock_guard lock(health_mutex_);
    return health_warnings_;
}

}  // namespace s2m
