#include "spotify/WebApi.h"

#include "core/Encoding.h"
#include "spotify/SpotifyJson.h"

namespace s2m {

namespace {
constexpr int kMaxPlaylistPages = 40;  // 2000 playlists at 50 a page

bool success(int status) {
    return status >= 200 && status < 300;
}

// POST <accounts_url>/api/token. With a client secret the app authenticates with HTTP Basic;
// without one (a PKCE-only app) it names itself with client_id in the body.
Result<TokenGrant> token_request(HttpClient& http, const SpotifyConfig& spotify,
                                 endpoint::TokenRequest token) {
    HttpRequest request;
    request.method = "POST";
    request.url = spotify.accounts_url + token.path;
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    if (spotify.client_secret && !spotify.client_secret->empty()) {
        request.headers.emplace_back(
            "Authorization",
            "Basic " + base64_encode(spotify.client_id + ":" + *spotify.client_secret));
    } else {
        token.form.emplace_back("client_id", spotify.client_id);
    }
    request.body = form_encode(token.form);
    auto response = http.send(request);
    if (!response) return response.error();
    return parse_token_response(response->status, response->body, response->retry_after_s());
}
}  // namespace

Result<TokenGrant> refresh_access_token(HttpClient& http, const SpotifyConfig& spotify,
                                        const std::string& refresh_token) {
    return token_request(http, spotify, endpoint::refresh_token_grant(refresh_token));
}

Result<TokenGrant> exchange_authorization_code(HttpClient& http, const SpotifyConfig& spotify,
                                               const std::string& code,
                                               const std::string& verifier) {
    return token_request(http, spotify,
                         endpoint::authorization_code_grant(code, spotify.redirect_uri, verifier));
}

WebApi::WebApi(HttpClient& http, std::string api_url, std::string access_token, long timeout_ms)
    : http_(http),
      api_url_(std::move(api_url)),
      authorization_("Bearer " + std::move(access_token)),
      timeout_ms_(timeout_ms) {}

Result<HttpResponse> WebApi::exchange(const std::string& method, const std::string& url,
                                      const std::optional<nlohmann::json>& body) {
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.timeout_ms = timeout_ms_;
    request.headers.emplace_back("Authorization", authorization_);
    if (body) {
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    auto response = http_.send(request);
    if (!response) return response.error();
    if (!success(response->status)) {
        return parse_api_error(response->status, response->body, response->retry_after_s());
    }
    return response;
}

Result<HttpResponse> WebApi::send(const endpoint::Request& request) {
    return exchange(request.method, api_url_ + request.path, request.body);
}

Result<PlaybackState> WebApi::player(int64_t now_ms) {
    auto response = send(endpoint::get_playback_state());
    if (!response) return response.error();
    return parse_player(response->status, response->body, now_ms);
}

Result<std::vector<Device>> WebApi::devices() {
    auto response = send(endpoint::get_available_devices());
    if (!response) return response.error();
    return parse_devices(response->body);
}

Result<std::vector<Playlist>> WebApi::playlists() {
    std::vector<Playlist> all;
    endpoint::Request first = endpoint::get_my_playlists();
    std::string url = api_url_ + first.path;
    for (int page = 0; page < kMaxPlaylistPages && !url.empty(); ++page) {
        auto response = exchange(first.method, url, std::nullopt);
        if (!response) return response.error();
        auto parsed = parse_playlist_page(response->body);
        if (!parsed) return parsed.error();
        for (auto& playlist : parsed->items) all.push_back(std::move(playlist));
        url = parsed->next.value_or("");
        // Only follow pages on the API we were configured with; anything else is not Spotify.
        if (!url.starts_with(api_url_)) url.clear();
    }
    return all;
}

Result<UserProfile> WebApi::me() {
    auto response = send(endpoint::get_current_user());
    if (!response) return response.error();
    return parse_profile(response->body);
}

Result<std::string> WebApi::object_name(const endpoint::Request& request) {
    auto response = send(request);
    if (!response) return response.error();
    return parse_object_name(response->body);
}

}  // namespace s2m
