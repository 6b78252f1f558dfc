#include "app/modules/LinkingModule.h"

#include <spdlog/spdlog.h>

#include "app/AccountScopes.h"
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

Result<std::string> LinkingModule::begin_link(const std::optional<std::string>& account) {
    // An account with its own Spotify app links through that app.
    SpotifyConfig app = core_.config().spotify_for(account.value_or(""));
    if (app.client_id.empty()) return Error{ErrorKind::NotLinked, core_.no_app_message()};
    if (account) {
        if (auto problem = check_account_name(*account)) {
            return Error{ErrorKind::Refused, "the account name " + *problem};
        }
    }
    PendingAuthorization& pending = pending_links_.begin(account, core_.clock().now_ms());
    pending.client_id = app.client_id;
    spdlog::info("link started{}; waiting for Spotify's redirect",
                 account ? " for account " + *account : std::string());
    return authorize_url(app, pending);
}

void LinkingModule::finish_link(const CallbackParams& params, LinkDone done) {
    auto pending = pending_links_.take(params.state, core_.clock().now_ms());
    if (!pending) {
        spdlog::warn("link: a callback with an unknown, used or expired state was refused");
        done(Error{ErrorKind::Refused,
                   "this link request is unknown or has expired (a link works once, within 10 "
                   "minutes); start again with \"Link a Spotify account\". If you started it "
                   "with `spotify2mqtt link` in a terminal, paste this page's address there."});
        return;
    }
    if (!params.error.empty()) {
        std::string message = describe_authorize_error(params.error);
        spdlog::warn("link: {}", message);
        done(Error{ErrorKind::Refused, message});
        return;
    }
    SpotifyConfig spotify = core_.config().spotify_for(pending->account.value_or(""));
    if (spotify.client_id != pending->client_id) {
        // The code Spotify sent is bound to the app the link started with.
        done(Error{ErrorKind::Refused,
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

void LinkingModule::complete_link(const PendingAuthorization& pending,
                                  Result<RedeemedCode> redeemed, const LinkDone& done) {
    if (!redeemed) {
        spdlog::warn("link: {}", redeemed.error().message);
        done(redeemed.error());
        return;
    }
    const UserProfile& profile = redeemed->profile;
    std::vector<LinkedName> existing;
    for (const auto& [name, account] : core_.accounts()) {
        existing.push_back({name, account.record ? account.record->user_id : std::nullopt});
    }
    auto name = choose_account_name(pending.account, profile.id, existing);
    if (!name) {
        spdlog::warn("link: {}", name.error().message);
        done(name.error());
        return;
    }
    AccountRecord record = linked_record(redeemed.value(), name.value(), core_.clock().now_ms());
    record.client_id = pending.client_id;
    if (auto saved = store_.save(record); !saved) {
        spdlog::error("link: {}", saved.error().message);
        done(saved.error());
        return;
    }
    adopt_record(std::move(record));
    std::string who = untrusted_excerpt(profile.display_name.value_or(profile.id), 100);
    spdlog::info("{}: linked to Spotify user {}", name.value(), who);
    core_.publish_event("account_linked", name.value(), "linked to Spotify user " + who);
    done(name.value());
}

void LinkingModule::adopt_record(AccountRecord record, std::string_view how) {
    std::string name = record.name;
    Account* account = core_.find(name);
    if (!account) {
        core_.add_account(name, std::move(record), how);
        account = core_.find(name);
    } else {
        spdlog::info("{}: {}; polling starts", name, how);
        account->record = std::move(record);
        account->reauth_required = false;
        expiry_warned_[name] = false;
        core_.notify([&](Module& module) { module.on_account_relinked(*account); });
    }
    warn_if_expiring(*account);
    core_.publish_info();
    core_.account_changed(*account);
}

Status LinkingModule::unlink(const std::string& name) {
    if (!core_.find(name)) return Error{ErrorKind::Refused, "no account named " + name};
    if (auto removed = store_.remove(name); !removed) return removed.error();
    core_.remove_account(name);
    spdlog::info("{}: unlinked; its tokens and retained topics are removed", name);
    core_.publish_info();
    core_.publish_event("account_unlinked", name, "unlinked");
    return ok_status();
}

void LinkingModule::on_account_added(Account& account) {
    expiry_warned_[account.name] = false;
}

void LinkingModule::on_account_removed(const std::string& name) {
    expiry_warned_.erase(name);
}

std::vector<AccountView> LinkingModule::account_views() const {
    std::vector<AccountView> views;
    for (const auto& [name, account] : core_.accounts()) {
        AccountView view;
        view.name = name;
        view.status = account.status();
        view.linked = account.record.has_value();
        view.reauth_required = account.reauth_required;
        view.warning = account.store_error;
        view.missing_scopes = account_missing_scopes(account);
        for (const AccountConfig& configured : core_.config().accounts) {
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

void LinkingModule::on_start() {
    check_refresh_expiry();
    loop_.post_after(kStoreRescanEvery, [this] { rescan_store(); });
}

void LinkingModule::check_refresh_expiry() {
    for (auto& [name, account] : core_.accounts()) warn_if_expiring(account);
    loop_.post_after(kExpiryCheckEvery, [this] { check_refresh_expiry(); });
}

void LinkingModule::warn_if_expiring(Account& account) {
    bool& warned = expiry_warned_[account.name];
    if (!account.record || account.record->linked_at_ms == 0 || warned) return;
    int64_t expires = account.record->linked_at_ms + kRefreshTokenLifetimeMs;
    if (expires - core_.clock().now_ms() > kExpiryWarningMs) return;
    warned = true;
    std::string message = "the refresh token expires about " + iso8601_utc(expires).substr(0, 10) +
                          "; link the account again before then";
    spdlog::warn("{}: {}", account.name, message);
    core_.publish_event("refresh_token_expiring", account.name, message);
}

// Links made here and by `spotify2mqtt link` refuse a second name for a Spotify user, but a
// refresh token seeded from the config shows whose it is only at its first poll.
void LinkingModule::on_user_learned(Account& account) {
    for (const auto& [name, other] : core_.accounts()) {
        if (name == account.name || !other.record ||
            other.record->user_id != account.record->user_id)
            continue;
        std::string message = "the same Spotify account (user " + *account.record->user_id +
                              ") as `" + name +
                              "`: it is polled twice and shows twice in Home Assistant; keep one "
                              "(remove the other from the config's accounts, or unlink it)";
        spdlog::warn("{}: {}", account.name, message);
        core_.publish_event("account_linked_twice", account.name, message);
        return;
    }
}

void LinkingModule::rescan_store() {
    for (AccountRecord& record : store_.load_all()) {
        const Account* held = core_.find(record.name);
        bool known = held && held->record;
        // Newer than what we hold: linked again from a terminal.
        if (!known || record.linked_at_ms > held->record->linked_at_ms) {
            adopt_record(std::move(record), "linked from another process");
        }
    }
    loop_.post_after(kStoreRescanEvery, [this] { rescan_store(); });
}

}  // namespace s2m
