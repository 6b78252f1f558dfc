// The Spotify calls the bridge makes, over an HttpClient. Stateless apart from the access token
// it is given; runs on a worker thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/Config.h"
#include "core/PlaybackState.h"
#include "core/Result.h"
#include "core/TokenGrant.h"
#include "ports/HttpClient.h"

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

    Result<PlaybackState> player(int64_t now_ms);
    Result<std::vector<Device>> devices();
    // Follows `next` through every page (bounded, so a looping server cannot trap us).
    Result<std::vector<Playlist>> playlists();
    Result<UserProfile> me();
    // GET <api_url><path> and read the object's name (context names).
    Result<std::string> object_name(const std::string& path);
    // Any call below api_url (`path` includes the query); a JSON body when given. A 2xx is the
    // response; anything else an Error with Spotify's reason (commands, SPEC §4).
    Result<HttpResponse> send(const std::string& method, const std::string& path,
                              const std::optional<nlohmann::json>& body);

  private:
    Result<HttpResponse> get(const std::string& url);

    HttpClient& http_;
    std::string api_url_;
    std::string authorization_;
    long timeout_ms_;
};

}  // namespace s2m
