// What every part of the bridge knows about one account: its name, app, link and what it shows.
// The rest (polls, commands, Home Assistant caches, ...) lives in the module that needs it
// (app/modules/). Owned by BridgeCore; loop thread only.
#pragma once

#include <optional>
#include <string>

#include "core/StatePayload.h"
#include "ports/TokenStore.h"

namespace s2m {

struct Account {
    std::string name;
    std::string app;  // the client id of its Spotify app: the rate-limit gate it shares
    std::optional<AccountRecord> record;  // nullopt: not linked (or must link again)
    bool reauth_required = false;

    std::optional<Availability> availability;
    std::string last_error;

    // Set while the newest record (a rotated refresh token above all) could not be written to
    // the token store: the file holds an older one, so a restart would lose the link. Shown on
    // availability, diagnostics, bridge/info and /healthz until a retry succeeds.
    std::optional<std::string> store_error;

    // The word bridge/info and `spotify2mqtt accounts` use for this account.
    std::string status() const {
        if (reauth_required) return "reauth_required";
        if (!record) return "not_linked";
        if (!availability) return "starting";
        if (availability->online) return store_error ? "token_not_saved" : "online";
        return availability->reason;
    }
};

}  // namespace s2m
