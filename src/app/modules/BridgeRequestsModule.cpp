#include "app/modules/BridgeRequestsModule.h"

#include <algorithm>

#include "core/Command.h"  // reason::k…
#include "core/Encoding.h"
#include "core/JsonFields.h"

namespace s2m {

std::vector<std::string> BridgeRequestsModule::subscriptions() const {
    return {core_.topics().bridge_requests()};
}

bool BridgeRequestsModule::on_message(const MqttMessage& message) {
    const std::string prefix = core_.topics().base() + "/bridge/request/";
    if (!message.topic.starts_with(prefix)) return false;
    answer(message.topic.substr(prefix.size()), message.payload);
    return true;
}

void BridgeRequestsModule::answer(const std::string& name, const std::string& payload) {
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
        for (auto& [account_name, account] : core_.accounts()) {
            online += account.availability && account.availability->online ? 1 : 0;
            limited_until = std::max(limited_until, gates_.rate_limited_until_ms(account));
        }
        response = {
            {"status", "ok"},
            {"data",
             {{"healthy", true},
              {"version", SPOTIFY2MQTT_VERSION},
              {"accounts", core_.accounts().size()},
              {"accounts_online", online},
              {"rate_limited_for_s",
               std::max<int64_t>(0, (limited_until - core_.clock().now_ms() + 999) / 1000)}}}};
    } else if (name == "accounts") {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& [account_name, account] : core_.accounts()) {
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
    core_.publish(core_.topics().bridge_response(name),
                  response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), false);
}

}  // namespace s2m
