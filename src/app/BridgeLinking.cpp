// Bridge: linking and unlinking accounts while it runs, and watching refresh-token lifetimes.
#include <spdlog/spdlog.h>

#include "app/Bridge.h"
#include "app/LinkJob.h"
#include "config/ConfigChecks.h"
#include "core/Encoding.h"
#include "core/StatePayload.h"

namespace s2m {

namespace {
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kExpiryWarningMs = 14 * kDayMs;
constexpr auto kExpiryCheckEvery = std::chrono::hours(12);
// Picks up accounts linked by `spotify2mqtt link` in another process.
constexpr auto kStoreRescanEvery = std::chrono::seconds(5);
}  // namespace

Result<std::string> Bridge::begin_link(const std::optional<std::string>& account) {
    // An account with its own Spotify app links through that app.
    SpotifyConfig app = config_.spotify_for(account.value_or(""));
    if (app.client_id.empty()) return Error{ErrorKind::NotLinked, no_app_message()};
    if (account) {
        if (auto problem = check_account_name(*account)) {
            return Error{ErrorKind::Internal, "the account name " + *problem};
        }
    }
    PendingAuthorization& pending = pending_links_.begin(account, clock_.now_ms());
    pending.client_id = app.client_id;
    spdlog::info("link started{}; waiting for Spotify's redirect",
                 account ? " for account " + *account : std::string());
    return authorize_url(app, pending);
}

void Bridge::finish_link(const CallbackParams& params, LinkDone done) {
    auto pending = pending_links_.take(params.state, clock_.now_ms());
    if (!pending) {
        spdlog::warn("link: a callback with an unknown, used or expired state was refused");
        done(Error{ErrorKind::Internal,
                   "this link request is unknown or has expired (a link works once, within 10 "
                   "minutes); start again with \"Link a Spotify account\". If you started it "
                   "with `spotify2mqtt link` in a terminal, paste this page's address there."});
        return;
    }
    if (!params.error.empty()) {
        std::string message = describe_authorize_error(params.error);
        spdlog::warn("link: {}", message);
        done(Error{ErrorKind::Internal, message});
        return;
    }
    SpotifyConfig spotify = config_.spotify_for(pending->account.value_or(""));
    if (spotify.client_id != pending->client_id) {
        // The code Spotify sent is bound to the app the link started with.
        done(Error{ErrorKind::Internal,
                   "the Spotify app was changed while this link was under way; start the link "
                   "again"});
        return;
    }
    // One lane for all links: they are rare, and a hanging token endpoint would hold them all
    // anyway; the accounts' polls and commands have lanes of their own.
    workers_.submit(
        "link", [this, loop = &loop_, spotify = std::move(spotify), code = params.code,
                 pending = std::move(*pending), done = std::move(done)](HttpClient& http) mutable {
            auto redeemed = redeem_code(http, spotify, code, pending.verifier);
            loop->post([this, pending = std::move(pending), redeemed = std::move(redeemed),
                        done = std::move(done)]() mutable {
                complete_link(pending, std::move(redeemed), done);
            });
        });
}

void Bridge::complete_link(const PendingAuthorization& pending, Result<RedeemedCode> redeemed,
                           const LinkDone& done) {
    if (!redeemed) {
        spdlog::warn("link: {}", redeemed.error().message);
        done(redeemed.error());
        return;
    }
    const UserProfile& profile = redeemed->profile;
    std::vector<LinkedName> existing;
    for (const auto& [name, account] : accounts_) {
        existing.push_back({name, account.record ? account.record->user_id : std::nullopt});
    }
    auto name = choose_account_name(pending.account, profile.id, existing);
    if (!name) {
        spdlog::warn("link: {}", name.error().message);
        done(name.error());
        return;
    }
    AccountRecord record = linked_record(redeemed.value(), name.value(), clock_.now_ms());
    record.client_id = pending.client_id;
    if (auto saved = store_.save(record); !saved) {
        spdlog::error("link: {}", saved.error().message);
        done(saved.error());
        return;
    }
    adopt_record(std::move(record));
    std::string who = untrusted_excerpt(profile.display_name.value_or(profile.id), 100);
    spdlog::info("{}: linked to Spotify user {}", name.value(), who);
    publish_event("account_linked", name.value(), "linked to Spotify user " + who);
    done(name.value());
}

void Bridge::adopt_record(AccountRecord record, std::string_view how) {
    std::string name = record.name;
    auto it = accounts_.find(name);
    if (it == accounts_.end()) {
        add_account(name, std::move(record), how);
    } else {
        spdlog::info("{}: {}; polling starts", name, how);
        Account& account = it->second;
        account.record = std::move(record);
        account.reauth_required = false;
        account.expiry_warned = false;
        account.failures = 0;
        account.schedule.request_devices();
        account.schedule.request_playlists();
        poll_now(account);
    }
    warn_if_expiring(accounts_.at(name));
    publish_info();
    publish_home_assistant(accounts_.at(name));
}

Status Bridge::unlink(const std::string& name) {
    auto it = accounts_.find(name);
    if (it == accounts_.end()) return Error{ErrorKind::Internal, "no account named " + name};
    if (auto removed = store_.remove(name); !removed) return removed.error();
    loop_.cancel(it->second.poll_timer);
    loop_.cancel(it->second.store_retry_timer);
    accounts_.erase(it);  // a poll still running reports to nobody
    refresh_health_warnings();
    // Empty retained payloads delete the retained messages, so nothing stale stays behind.
    for (const std::string& topic : {topics_.account(name), topics_.availability(name),
                                     topics_.devices(name), topics_.playlists(name)}) {
        publish(topic, "", true);
    }
    clear_home_assistant(name);
    spdlog::info("{}: unlinked; its tokens and retained topics are removed", name);
    publish_info();
    publish_event("account_unlinked", name, "unlinked");
    return ok_status();
}

std::vector<AccountView> Bridge::account_views() const {
    std::vector<AccountView> views;
    for (const auto& [name, account] : accounts_) {
        AccountView view;
        view.name = name;
        view.status = account.status();
        view.linked = account.record.has_value();
        view.reauth_required = account.reauth_required;
        view.warning = account.store_error;
        for (const AccountConfig& configured : config_.accounts) {
            if (configured.name == name) view.from_config = true;
        }
        if (account.record) {
            view.display_name = account.record->display_name;
            view.premium = account.record->premium;
            if (account.record->linked_at_ms > 0) {
                view.refresh_expires_at_ms = account.record->linked_at_ms + kRefreshTokenLifetimeMs;
            }
        }
        views.push_back(std::move(view));
    }
    return views;
}

void Bridge::start_watchers() {
    check_refresh_expiry();
    loop_.post_after(kStoreRescanEvery, [this] { rescan_store(); });
}

void Bridge::check_refresh_expiry() {
    for (auto& [name, account] : accounts_) warn_if_expiring(account);
    loop_.post_after(kExpiryCheckEvery, [this] { check_refresh_expiry(); });
}

void Bridge::warn_if_expiring(Account& account) {
    if (!account.record || account.record->linked_at_ms == 0 || account.expiry_warned) return;
    int64_t expires = account.record->linked_at_ms + kRefreshTokenLifetimeMs;
    if (expires - clock_.now_ms() > kExpiryWarningMs) return;
    account.expiry_warned = true;
    std::string message = "the refresh token expires about " + iso8601_utc(expires).substr(0, 10) +
                          "; link the account again before then";
    spdlog::warn("{}: {}", account.name, message);
    publish_event("refresh_token_expiring", account.name, message);
}

// Links made here and by `spotify2mqtt link` refuse a second name for a Spotify user, but a
// refresh token seeded from the config shows whose it is only at its first poll.
void Bridge::warn_if_linked_twice(const Account& account) {
    for (const auto& [name, other] : accounts_) {
        if (name == account.name || !other.record ||
            other.record->user_id != account.record->user_id)
            continue;
        std::string message = "the same Spotify account (user " + *account.record->user_id +
                              ") as `" + name +
                              "`: it is polled twice and shows twice in Home Assistant; keep one "
                              "(remove the other from the config's accounts, or unlink it)";
        spdlog::warn("{}: {}", account.name, message);
        publish_event("account_linked_twice", account.name, message);
        return;
    }
}

void Bridge::rescan_store() {
    for (AccountRecord& record : store_.load_all()) {
        auto it = accounts_.find(record.name);
        bool known = it != accounts_.end() && it->second.record;
        // Newer than what we hold: linked again from a terminal.
        if (!known || record.linked_at_ms > it->second.record->linked_at_ms) {
            adopt_record(std::move(record), "linked from another process");
        }
    }
    loop_.post_after(kStoreRescanEvery, [this] { rescan_store(); });
}

}  // namespace s2m
