// The account page's HTML, rendered on the server from plain data. Pure: every piece of text that
// comes from outside (names, Spotify display names, error sentences) goes through html_escape.
// Nothing secret is ever passed in, so nothing secret can come out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ports/LinkPort.h"

namespace s2m {

std::string html_escape(std::string_view text);

struct AccountsPageInput {
    std::vector<AccountView> accounts;
    std::string redirect_uri;  // to register in the Spotify dashboard
    bool app_configured = true;
    bool client_secret_configured = false;
    AppView app;                    // the app section (adapters/web/AppSection)
    bool needs_setup_code = false;  // the client is on another machine
    std::string version;
    std::optional<std::string> error;   // from the last action, shown on top
    std::optional<std::string> notice;  // e.g. "alice was unlinked"
    // Every link and form address starts with it: "" or Home Assistant's ingress prefix
    // (X-Ingress-Path, already checked by adapters/web/WebApp).
    std::string base_path;
    // Under Home Assistant's ingress Spotify's redirect cannot reach the page: linking opens
    // Spotify in a new tab and finishes by pasting the address it ends on.
    bool ingress = false;
};

std::string render_accounts_page(const AccountsPageInput& input);

// A small page with one message (link finished, link failed, request refused).
std::string render_message_page(const std::string& title, const std::string& message, bool ok,
                                const std::string& base_path = "");

}  // namespace s2m
