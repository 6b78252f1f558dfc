// Where every job test's request starts: an account of one Spotify app whose API and token
// endpoint are at http://fake (where ScriptedHttp answers), with a token good until
// `token_expires_at_ms`. The tests then set what the job is to do.
#pragma once

#include <cstdint>
#include <string>

#include "spotify/WebApi.h"

namespace s2m::test {

inline SpotifyConfig scripted_app() {
    SpotifyConfig app;
    app.client_id = "cid";
    app.client_secret = "secret";
    app.api_url = "http://fake/v1";
    app.accounts_url = "http://fake";
    return app;
}

// Request: PollRequest or CommandRequest.
template <typename Request>
Request job_request(const std::string& account, int64_t token_expires_at_ms) {
    Request request;
    request.account = account;
    request.spotify = scripted_app();
    request.token = TokenSnapshot{"rt-1", "at-1", token_expires_at_ms, true};
    return request;
}

}  // namespace s2m::test
