// Port: what the account page (adapters/web) needs from the bridge. Called on the web server's
// threads; the implementation (app/LoopLinkService) hands each call to the loop and waits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/Authorization.h"
#include "core/Result.h"
#include "core/SpotifyApp.h"

namespace s2m {

// One account as the page shows it. Holds nothing secret.
struct AccountView {
    std::string name;
    std::optional<std::string> display_name;
    std::string status;  // as in bridge/info: online, reauth_required, not_linked, …
    bool linked = false;
    bool reauth_required = false;
    std::optional<bool> premium;
    int64_t refresh_expires_at_ms = 0;  // 0: unknown
    bool from_config = false;           // listed in the config's `accounts`
    // Works, but a person must fix something (status token_not_saved): the sentence saying what.
    std::optional<std::string> warning;
    // Linked before a feature needed a new scope: the scopes it lacks (docs/linking.md#scopes).
    std::vector<std::string> missing_scopes;
};

// The Spotify app as the page shows it: never the secret, only whether there is one.
struct AppView {
    std::string client_id;  // empty: none yet
    bool has_secret = false;
    AppSource source = AppSource::None;
    std::string config_file;  // where the config was read from, to say where to change it
};

class LinkPort {
  public:
    virtual ~LinkPort() = default;
    virtual std::vector<AccountView> accounts() = 0;
    // Starts a link; the address of Spotify's consent page.
    virtual Result<std::string> begin_link(const std::optional<std::string>& account) = 0;
    // Finishes a link from what Spotify put on the redirect; the linked account's name.
    virtual Result<std::string> finish_link(const CallbackParams& params) = 0;
    virtual Status unlink(const std::string& name) = 0;
    virtual AppView app() = 0;
    // Saves the app typed on the page (state_dir) and uses it at once. Refused when the config or
    // the environment sets spotify.client_id: those win.
    virtual Status save_app(const StoredApp& app) = 0;
    // Connected to the broker and the loop is alive.
    virtual bool healthy() = 0;
    // Problems a person must fix although the bridge works (e.g. a token that cannot be saved),
    // one sentence each. /healthz lists them and still answers 200: restarting the bridge for
    // them would make things worse (the newest token lives only in memory). Any thread, never
    // waits for the loop.
    virtual std::vector<std::string> warnings() { return {}; }
};

}  // namespace s2m
