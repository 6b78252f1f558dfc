// Bridge: the Spotify app it links and polls with, which the account page can set while it runs.
//
// A refresh token belongs to the app that issued it; another app cannot renew it. So when the app
// changes, accounts linked with the previous one are marked "link again" at once (with a sentence
// saying why) instead of being kept on the old app: keeping them would mean keeping the old app's
// secret, which the person just replaced (often because it was rotated or the app deleted), and
// every later failure would surface hours later as a puzzling invalid_client. Accounts linked
// before the bridge recorded the app, or seeded from the config, are taken to be the new app's.
#include <spdlog/spdlog.h>

#include "app/Bridge.h"

namespace s2m {

std::string Bridge::no_app_message() const {
    std::string where = config_.web.listen
                            ? "enter its Client ID on the account page http://" +
                                  *config_.web.listen + "/ or set spotify.client_id in the config"
                            : "set spotify.client_id in the config";
    return "no Spotify app is set up yet: create one at https://developer.spotify.com/dashboard, "
           "then " +
           where;
}

AppView Bridge::app_view() const {
    AppView view;
    view.client_id = config_.spotify.client_id;
    view.has_secret = config_.spotify.client_secret && !config_.spotify.client_secret->empty();
    view.source = app_source_;
    view.config_file = config_.source;
    return view;
}

void Bridge::use_app(const ChosenApp& app) {
    config_.spotify.client_id = app.client_id;
    config_.spotify.client_secret = app.client_secret;
    app_source_ = app.source;
    for (auto& [name, account] : accounts_) {
        std::string now = config_.spotify_for(name).client_id;
        if (now == account.app) continue;  // its own app from the config, or only a new secret
        account.app = now;
        loop_.cancel(account.poll_timer);
        if (app_fits(account)) schedule_poll(account, 0);
    }
    publish_info();
}

bool Bridge::app_fits(Account& account) {
    if (!account.record || account.reauth_required) return true;
    if (account.app.empty()) {
        set_availability(account, Availability::down("no_spotify_app", no_app_message()));
        return false;
    }
    if (!account.record->client_id) {
        account.record->client_id = account.app;  // saved with its next token
        return true;
    }
    if (*account.record->client_id == account.app) return true;
    std::string message =
        "linked with another Spotify app than the one now set up; its tokens work only with that "
        "app, so link it again";
    account.reauth_required = true;
    spdlog::warn("{}: {}", account.name, message);
    set_availability(account, Availability::down("reauth_required", message));
    publish_event("reauth_required", account.name, message);
    return false;
}

}  // namespace s2m
