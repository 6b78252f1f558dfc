// What the account-bound bridge requests (`bridge/request/search`, `bridge/request/library`)
// answer, in one shape (docs/mqtt.md#bridge-requests): {"status","data"|"reason","error",
// "transaction"} on `<base>/bridge/response/<request>`.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/BridgeCore.h"
#include "core/Command.h"

namespace s2m {

void publish_bridge_response(BridgeCore& core, const std::string& request,
                             const std::optional<nlohmann::json>& transaction,
                             const std::optional<CommandError>& error, nlohmann::json data);

// UNKNOWN_ACCOUNT naming the accounts the bridge has; `name` comes from the request and is
// quoted as an excerpt.
CommandError unknown_account_error(BridgeCore& core, const std::string& name);

}  // namespace s2m
