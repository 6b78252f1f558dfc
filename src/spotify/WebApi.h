// Sends the requests of spotify/Endpoints.h over an HttpClient, with the access token it is given,
// and reads the answers (spotify/SpotifyJson.h). Stateless apart from that token; runs on a worker
// thread. A 2xx is the answer; anything else an Error with Spotify's reason
// (docs/mqtt-commands.md#responses: the command responses pass that reason on).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/Config.h"
#include "core/PlaybackState.h"
#include "core/Result.h"
#include "core/TokenGrant.h"
#include "ports/HttpClient.h"
#include "spotify/Endpoints.h"

namespace s2m {

// POST <accounts_url>/api/token with grant_type=refresh_token.
Result<TokenGrant> refresh_access_token(HttpClient& http, const SpotifyConfig& spotify,
                                        const std::string& refresh_token);

// POST <accounts_url>/api/token with grant_type=authorization_code: the code from the redirect,
// the configured redirect_uri (it must match the one sent to /authorize) and the PKCE verifier.
Result<TokenGrant> exchange_authorization_code(HttpClient& http, const SpotifyConfig& spotify,
                                               const std::string& code,
                                               const std::string& verifier);

class WebApi {
  public:
    WebApi(HttpClient& http, std::string api_url, std::string access_token, long timeout_ms);

    // Any request of spotify/Endpoints.h; the answer when it is a 2xx.
    Result<HttpResponse> send(const endpoint::Request& request);

    Result<PlaybackState> player(int64_t now_ms);
    Result<std::vector<Device>> devices();
    // Follows `next` through every page (bounded, so a looping server cannot trap us).
    Result<std::vector<Playlist>> playlists();
    Result<UserProfile> me();
    // The name of the object endpoint::get_context asked for (context names).
    Result<std::string> object_name(const endpoint::Request& request);

  private:
    Result<HttpResponse> exchange(const std::string& method, const std::string& url,
                                  const std::optional<nlohmann::json>& body);

    HttpClient& http_;
    std::string api_url_;
    std::string authorization_;
    long timeout_ms_;
};

}  // namespace s2m
