#include "app/Bridge.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "core/Command.h"
#include "core/Encoding.h"
#include "core/JsonFields.h"
#include "core/StatePayload.h"

namespace s2m {

Bridge::Bridge(const Config& config, const Clock& clock, Scheduler& loop, JobRunner& workers,
               TokenStore& store, Metrics& metrics)
    : config_(config),
      topics_(config.mqtt.base_topic),
      clock_(clock),
      loop_(loop),
      workers_(workers),
      store_(store),
      metrics_(metrics) {}

void Bridge::start() {
    for (const AccountConfig& configured : config_.accounts) {
        std::optional<AccountRecord> record = store_.load(configured.name);
        if (!record && configured.refresh_token) {
            // A seeded token is used only when the store has none; the stored one wins later.
            AccountRecord seeded;
            seeded.name = configured.name;
            seeded.refresh_token = *configured.refresh_token;
            seeded.linked_at_ms = clock_.now_ms();
            if (auto saved = store_.save(seeded); !saved) {
                spdlog::error("{}: cannot store the seeded token: {}", configured.name,
                              saved.error().message);
            }
            record = seeded;
            spdlog::info("{}: seeded from the config's refresh_token", configured.name);
        }
        add_account(configured.name, record);
    }
    for (AccountRecord& record : store_.load_all()) {
        if (!accounts_.count(record.name)) add_account(record.name, record);
    }
    if (accounts_.empty()) {
        spdlog::warn("no Spotify account is linked yet{}",
                     config_.spotify.client_id.empty()
                         ? ", and " + no_app_message() + " (redirect URI " +
                               config_.spotify.redirect_uri +
                               "), then link an account there. To try the bridge without Spotify: "
                               "scripts/run.sh --demo"
                         : ". Link one with `spotify2mqtt link` or on the web page" +
                               (config_.web.listen ? " http://" + *config_.web.listen + "/"
                                                   : std::string()));
    }
    warn_about_media_player_config();
    start_watchers();
}

void Bridge::add_account(const std::string& name, std::optional<AccountRecord> record,
                         std::string_view how) {
    Account& account = accounts_[name];
    account.name = name;
    account.app = config_.spotify_for(name).client_id;
    account.schedule = PollSchedule(config_.polling);
    account.record = std::move(record);
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
    schedule_poll(account, 0);
}

// ---- MQTT ------------------------------------------------------------------------------------

void Bridge::on_connected() {
    loop_.post([this] { handle_connected(); });
}

void Bridge::on_connection_lost(const std::string& cause) {
    loop_.post([this, cause] {
        mqtt_session_up_ = false;
        intake_.connection_lost(clock_.now_ms());
        metrics_.add("spotify2mqtt_mqtt_connection_losses_total");
        metrics_.set("spotify2mqtt_mqtt_connected", {}, 0);
        spdlog::warn("MQTT: connection lost{}; reconnecting",
                     cause.empty() ? "" : " (" + cause + ")");
    });
}

void Bridge::on_message(MqttMessage message) {
    loop_.post([this, message = std::move(message)] { handle_message(message); });
}

void Bridge::handle_connected() {
    spdlog::info("MQTT: connected to {}", config_.mqtt.url);
    metrics_.add("spotify2mqtt_mqtt_connects_total");
    metrics_.set("spotify2mqtt_mqtt_connected", {}, 1);
    intake_.connected(clock_.now_ms());  // commands replayed until the SUBACK may be stale
    // Wildcards, so accounts linked later need no subscription of their own.
    std::vector<std::string> filters{topics_.bridge_requests(), topics_.get("+"), topics_.set("+"),
                                     topics_.set_key("+")};
    if (config_.homeassistant.discovery) filters.push_back(config_.homeassistant.status_topic);
    mqtt_->subscribe(filters);
    mqtt_session_up_ = true;  // publishing from here on: everything below, then changes
    publish(topics_.bridge_state(), R"({"state":"online"})", true);
    last_info_.clear();
    publish_info();
    for (const auto& [name, account] : accounts_) publish_account(account);
    republish_home_assistant();
    for (const auto& event : pending_events_) publish(topics_.bridge_event(), event, false);
    pending_events_.clear();
}

// <base>/bridge/request/<name>, <base>/<account>/get, <base>/<account>/set[/<key>]
void Bridge::handle_message(const MqttMessage& message) {
    if (message.topic == config_.homeassistant.status_topic) {
        handle_ha_status(message.payload);
        return;
    }
    const std::string prefix = topics_.base() + "/";
    if (!message.topic.starts_with(prefix)) return;
    std::string rest = message.topic.substr(prefix.size());
    if (rest.starts_with("bridge/request/")) {
        handle_bridge_request(rest.substr(15), message.payload);
        return;
    }
    std::vector<std::string> levels;
    for (size_t start = 0;;) {
        size_t slash = rest.find('/', start);
        levels.push_back(rest.substr(start, slash - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    if (levels.size() == 2 && levels[1] == "get") {
        handle_get(levels[0]);
    } else if (levels.size() == 2 && levels[1] == "set") {
        handle_set(levels[0], "", message);
    } else if (levels.size() == 3 && levels[1] == "set") {
        // An empty key (".../set/") must not read as the JSON form.
        handle_set(levels[0], levels[2].empty() ? "(empty)" : levels[2], message);
    }
}

void Bridge::handle_bridge_request(const std::string& name, const std::string& payload) {
    // Nothing, or a JSON object (README "Bridge requests"); anything else is a mistake to report,
    // not a request to answer `ok`.
    bool empty = payload.find_first_not_of(" \t\r\n") == std::string::npos;
    nlohmann::json request =
        empty ? nlohmann::json::object() : nlohmann::json::parse(payload, nullptr, false);
    nlohmann::json response;
    if (!request.is_object()) {
        response = {{"status", "error"},
                    {"reason", reason::kInvalidPayload},
                    {"error", std::string("the request must be empty or a JSON object such as "
                                          "{\"transaction\":\"t1\"}; got ") +
                                  (request.is_discarded() ? "text that is not JSON"
                                                          : json_type_name(request))}};
    } else if (name == "health_check") {
        // Answering at all proves the loop and the broker connection; the accounts say the rest.
        int online = 0;
        int64_t limited_until = 0;
        for (auto& [account_name, account] : accounts_) {
            online += account.availability && account.availability->online ? 1 : 0;
            limited_until = std::max(limited_until, rate_limited_until_ms(account));
        }
        response = {{"status", "ok"},
                    {"data",
                     {{"healthy", true},
                      {"version", SPOTIFY2MQTT_VERSION},
                      {"accounts", accounts_.size()},
                      {"accounts_online", online},
                      {"rate_limited_for_s",
                       std::max<int64_t>(0, (limited_until - clock_.now_ms() + 999) / 1000)}}}};
    } else if (name == "accounts") {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& [account_name, account] : accounts_) {
            list.push_back({{"name", account_name}, {"status", account.status()}});
        }
        response = {{"status", "ok"}, {"data", list}};
    } else {
        response = {{"status", "error"},
                    {"error", "unknown bridge request '" + untrusted_excerpt(name, 64) + "'"}};
    }
    if (request.is_object() && request.contains("transaction")) {
        response["transaction"] = request["transaction"];
    }
    publish(topics_.bridge_response(name),
            response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), false);
}

void Bridge::publish(const std::string& topic, const std::string& payload, bool retained) {
    if (!mqtt_ || !mqtt_session_up_) return;  // handle_connected publishes everything anew
    mqtt_->publish(topic, payload, retained);
    metrics_.add("spotify2mqtt_mqtt_publishes_total");
}

void Bridge::publish_account(const Account& account) {
    if (account.availability)
        publish(topics_.availability(account.name), shown_availability(account), true);
    if (account.published) {
        publish(topics_.account(account.name), state_payload(*account.published).dump(), true);
    }
    if (account.devices) {
        publish(topics_.devices(account.name), devices_payload(*account.devices).dump(), true);
    }
    if (account.playlists) {
        publish(topics_.playlists(account.name), playlists_payload(*account.playlists).dump(),
                true);
    }
}

void Bridge::publish_info() {
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

void Bridge::publish_event(const std::string& type, const std::string& account,
                           const std::string& message) {
    nlohmann::json event{{"type", type}, {"account", account}, {"message", message}};
    if (mqtt_connected()) {
        publish(topics_.bridge_event(), event.dump(), false);
        return;
    }
    // Events are not retained, so one raised while the broker is away would be lost: keep the
    // latest few for the next connect.
    if (pending_events_.size() >= kMaxPendingEvents) pending_events_.pop_front();
    pending_events_.push_back(event.dump());
}

void Bridge::set_availability(Account& account, Availability availability) {
    if (account.availability == availability) return;
    account.availability = std::move(availability);
    publish(topics_.availability(account.name), shown_availability(account), true);
    publish_info();
    publish_home_assistant(account);
}

}  // namespace s2m
