#include "app/modules/BridgeResponses.h"

#include "core/Encoding.h"  // untrusted_excerpt

namespace s2m {

void publish_bridge_response(BridgeCore& core, const std::string& request,
                             const std::optional<nlohmann::json>& transaction,
                             const std::optional<CommandError>& error, nlohmann::json data) {
    nlohmann::json response{{"status", error ? "error" : "ok"}};
    if (error) {
        response["reason"] = error->reason;
        response["error"] = error->message;
    } else {
        response["data"] = std::move(data);
    }
    if (transaction) response["transaction"] = *transaction;
    core.publish(core.topics().bridge_response(request),
                 response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), false);
}

CommandError unknown_account_error(BridgeCore& core, const std::string& name) {
    std::string known;
    for (const auto& [account_name, account] : core.accounts())
        known += (known.empty() ? "" : ", ") + account_name;
    return CommandError{reason::kUnknownAccount,
                        "The bridge has no account named '" + untrusted_excerpt(name, 64) +
                            "'. Accounts: " + (known.empty() ? "none yet" : known) + "."};
}

}  // namespace s2m
