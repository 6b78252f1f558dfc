// The test-only control API under /_control (JSON in and out, no auth, never faulted or
// logged). Errors use the same {"error":{"status","message"}} shape as the Web API.
//
//   GET    /_control/health                      {"ok":true}
//   POST   /_control/users                       create/replace a user (UserSpec.h) -> state
//   GET    /_control/users                       ["alice",…]
//   GET    /_control/users/{id}                  state: tokens, devices, playlists, playback
//   POST   /_control/users/{id}/playback         a change "from a phone" -> state
//   PUT    /_control/users/{id}/devices          [device…] or {"devices":[…]} -> state
//   POST   /_control/users/{id}/profile          {product, display_name, rotate_refresh_tokens,
//                                                 token_lifetime_s, scope} -> state (tokens kept)
//   POST   /_control/users/{id}/revoke           refresh tokens now answer invalid_grant
//   POST   /_control/users/{id}/expire_tokens    access tokens now answer 401 "expired"
//   POST   /_control/faults                      add a rule (Faults.h) -> {"id":N}
//   GET    /_control/faults                      the rules still armed ("held": requests a
//                                                 delay of the rule is holding right now)
//   DELETE /_control/faults[/{id}]               remove all rules, or one
//   GET    /_control/requests?since=SEQ          log entries with seq > SEQ
//   DELETE /_control/requests                    clear the log (seq keeps counting)
//   GET    /_control/clock, POST /_control/clock {"speed":X,"advance_ms":N} -> {now_ms, speed}
//   POST   /_control/apps                        {"client_id", "client_secret": null|"…",
//                                                 "redirect_uris": […]} registers or replaces
//                                                 an app (null/omitted secret: public) -> app
//   GET    /_control/apps                        [app…], each as POST /_control/apps takes it
//   POST   /_control/authorize                   a code without the consent page, see
//                                                 AuthorizeService.h -> {"code","location"}
#pragma once

#include "Faults.h"
#include "Http.h"
#include "World.h"

namespace fake_spotify {

class ControlApi {
  public:
    ControlApi(World& world, FaultStore& faults, RequestLog& log)
        : world_(world), faults_(faults), log_(log) {}
    void register_routes(Router& router);

  private:
    void register_user_routes(Router& router);
    void register_app_routes(Router& router);
    // Runs `change` on the named user (404 if unknown) and answers the user's state.
    void with_user(Call& call, const std::function<void(User&, const json& body)>& change);
    json user_state(User& user, const std::string& base);

    World& world_;
    FaultStore& faults_;
    RequestLog& log_;
};

json parse_json_body(const Call& call);

}  // namespace fake_spotify
