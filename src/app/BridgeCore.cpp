#include "app/BridgeCore.h"

#include <spdlog/spdlog.h>

#include "core/StatePayload.h"

namespace s2m {

BridgeCore::BridgeCore(const Config& config, const Clock& clock, Scheduler& loop, Metrics& metrics)
    : config_(config),
      topics_(config.mqtt.base_topic),
      clock_(clock),
      loop_(loop),
      metrics_(metrics) {}

Account* BridgeCore::find(const std::string& name) {
    auto it = accounts_.find(name);
    return it == accounts_.end() ? nullptr : &it->second;
}

void BridgeCore::add_account(const std::string& name, std::optional<AccountRecord> record,
                             std::string_view how) {
    Account& account = accounts_[name];
    account.name = name;
    account.app = config_.spotify_for(name).client_id;
    account.record = std::move(record);
    notify([&](Module& module) { module.on_account_added(account); });
    if (!account.record) {
        spdlog::warn("{}: not linked yet; link it with `spotify2mqtt link --account {}`", name,
                     name);
        set_availability(account, Availability::down("not_linked", "link this account first"));
        return;
    }
    if (!app_fits(account)) {
        spdlog::warn(
            "{}: linked, but not polled: {}", name,
            account.reauth_required ? "it was linked with another Spotify app" : no_app_message());
        return;
    }
    spdlog::info("{}: {}; polling starts", name, how);
    notify([&](Module& module) { module.on_account_ready(account); });
}

void BridgeCore::remove_account(const std::string& name) {
    accounts_.erase(name);  // a job still running reports to nobody
    // Empty retained payloads delete the retained messages, so nothing stale stays behind.
    publish(topics_.availability(name), "", true);
    notify([&](Module& module) { module.on_account_removed(name); });
}

// ---- The Spotify app ---------------------------------------------------------------------------
// A refresh token belongs to the app that issued it; another app cannot renew it. So when the app
// changes, accounts linked with the previous one are marked "link again" at once (with a sentence
// saying why) instead of being kept on the old app: keeping them would mean keeping the old app's
// secret, which the person just replaced (often because it was rotated or the app deleted), and
// every later failure would surface hours later as a puzzling invalid_client. Accounts linked
// before the bridge recorded the app, or seeded from the config, are taken to be the new app's.

std::string BridgeCore::no_app_message() const {
    std::string where = config_.web.listen
                            ? "enter its Client ID on the account page http://" +
                                  *config_.web.listen + "/ or set spotify.client_id in the config"
                            : "set spotify.client_id in the config";
    return "no Spotify app is set up yet: create one at https://developer.spotify.com/dashboard, "
           "then " +
           where;
}

void BridgeCore::switch_app(const ChosenApp& app) {
    config_.spotify.client_id = app.client_id;
    config_.spotify.client_secret = app.client_secret;
    for (auto& [name, account] : accounts_) {
        std::string now = config_.spotify_for(name).client_id;
        if (now == account.app) continue;  // its own app from the config, or only a new secret
        account.app = now;
        notify([&](Module& module) { module.on_app_changed(account); });
        if (app_fits(account)) notify([&](Module& module) { module.on_account_ready(account); });
    }
    publish_info();
}

bool BridgeCore::app_fits(Account& account) {
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

// ---- MQTT --------------------------------------------------------------------------------------

void BridgeCore::on_connected() {
    loop_.post([this] {
        spdlog::info("MQTT: connected to {}", config_.mqtt.url);
        metrics_.add("spotify2mqtt_mqtt_connects_total");
        metrics_.set("spotify2mqtt_mqtt_connected", {}, 1);
        // Wildcards, so accounts linked later need no subscription of their own.
        std::vector<std::string> filters;
        for (Module* module : modules_) {
            for (std::string& filter : module->subscriptions())
                filters.push_back(std::move(filter));
        }
        mqtt_->subscribe(filters);
        session_up_ = true;  // publishing from here on: everything below, then changes
        publish(topics_.bridge_state(), R"({"state":"online"})", true);
        last_info_.clear();
        publish_info();
        publish_accounts();
        notify([](Module& module) { module.on_broker_connected(); });
        notify([](Module& module) { module.on_republish(); });
        for (const auto& event : pending_events_) publish(topics_.bridge_event(), event, false);
        pending_events_.clear();
    });
}

void BridgeCore::on_connection_lost(const std::string& cause) {
    loop_.post([this, cause] {
        session_up_ = false;
        notify([](Module& module) { module.on_broker_lost(); });
        metrics_.add("spotify2mqtt_mqtt_connection_losses_total");
        metrics_.set("spotify2mqtt_mqtt_connected", {}, 0);
        spdlog::warn("MQTT: connection lost{}; reconnecting",
                     cause.empty() ? "" : " (" + cause + ")");
    });
}

void BridgeCore::on_message(MqttMessage message) {
    // Offered to the modules in order; the first that knows the topic takes it.
    loop_.post([this, message = std::move(message)] {
        for (Module* module : modules_) {
            if (module->on_message(message)) return;
        }
    });
}

void BridgeCore::on_subscribed() {
    loop_.post([this] { notify([](Module& module) { module.on_subscribed(); }); });
}

void BridgeCore::publish(const std::string& topic, const std::string& payload, bool retained) {
    if (!mqtt_ || !session_up_) return;  // on_connected() publishes everything anew
    mqtt_->publish(topic, payload, retained);
    metrics_.add("spotify2mqtt_mqtt_publishes_total");
}

void BridgeCore::publish_accounts() {
    for (const auto& [name, account] : accounts_) {
        if (account.availability) publish_availability(account);
        notify([&](Module& module) { module.on_publish_retained(account); });
    }
}

void BridgeCore::publish_availability(const Account& account) {
    Availability shown = account.availability.value_or(Availability::down("starting"));
    if (shown.online && account.store_error) {
        shown.reason = "token_not_saved";
        shown.message = *account.store_error;
    }
    publish(topics_.availability(account.name), availability_payload(shown).dump(), true);
}

void BridgeCore::publish_info() {
    // The accounts gauge follows every status change, which all pass through here.
    std::map<std::string, int> by_status;
    for (const char* status :
         {"online", "starting", "not_linked", "reauth_required", "rate_limited", "api_unreachable",
          "bad_response", "token_not_saved"}) {
        by_status[status] = 0;
    }
    for (const auto& [name, account] : accounts_) ++by_status[account.status()];
    for (const auto& [status, count] : by_status)
        metrics_.set("spotify2mqtt_accounts", {{"status", status}}, count);

    nlohmann::json accounts = nlohmann::json::array();
    for (const auto& [name, account] : accounts_) {
        nlohmann::json entry{{"name", name}, {"status", account.status()}};
        if (account.record && account.record->display_name) {
            entry["display_name"] = *account.record->display_name;
        }
        if (account.record && account.record->premium) entry["premium"] = *account.record->premium;
        accounts.push_back(entry);
    }
    nlohmann::json info{{"version", SPOTIFY2MQTT_VERSION},
                        {"accounts", accounts},
                        {"base_topic", config_.mqtt.base_topic},
                        {"discovery", config_.homeassistant.discovery},
                        {"spotify_app_configured", !config_.spotify.client_id.empty()}};
    std::string payload = info.dump();
    if (payload == last_info_) return;
    last_info_ = payload;
    publish(topics_.bridge_info(), payload, true);
}

void BridgeCore::publish_event(const std::string& type, const std::string& account,
                               const std::string& message) {
    publish_event(nlohmann::json{{"type", type}, {"account", account}, {"message", message}});
}

void BridgeCore::publish_event(const nlohmann::json& event) {
    std::string payload = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (mqtt_connected()) {
        publish(topics_.bridge_event(), payload, false);
        return;
    }
    // Events are not retained, so one raised while the broker is away would be lost: keep the
    // latest few for the next connect.
    if (pending_events_.size() >= kMaxPendingEvents) pending_events_.pop_front();
    pending_events_.push_back(std::move(payload));
}

void BridgeCore::set_availability(Account& account, Availability availability) {
    if (account.availability == availability) return;
    account.availability = std::move(availability);
    publish_availability(account);
    publish_info();
    account_changed(account);
}

}  // namespace s2m
