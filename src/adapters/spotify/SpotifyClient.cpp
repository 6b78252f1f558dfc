#include "adapters/spotify/SpotifyClient.h"

#include "core/Encoding.h"
#include "core/SpotifyJson.h"

namespace s2m {

namespace {
constexpr int kMaxPlaylistPages = 40;  // 2000 playlists at 50 a page

bool success(int status) {
    return status >= 200 && status < 300;
}
}  // namespace

namespace {
// POST <accounts_url>/api/token. With a client secret the app authenticates with HTTP Basic;
// without one (a PKCE-only app) it names itself with client_id in the body.
Result<TokenGrant> token_request(HttpClient& http, const SpotifyConfig& spotify,
                                 std::vector<std::pair<std::string, std::string>> form) {
    HttpRequest request;
    request.method = "POST";
    request.url = spotify.accounts_url + "/api/token";
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    if (spotify.client_secret && !spotify.client_secret->empty()) {
        request.headers.emplace_back(
            "Authorization",
            "Basic " + base64_encode(spotify.client_id + ":" + *spotify.client_secret));
    } else {
        form.emplace_back("client_id", spotify.client_id);
    }
    request.body = form_encode(form);
    auto response = http.send(request);
    if (!response) return response.error();
    return parse_token_response(response->status, response->body, response->retry_after_s());
}
}  // namespace

Result<TokenGrant> refresh_access_token(HttpClient& http, const SpotifyConfig& spotify,
                                        const std::string& refresh_token) {
    return token_request(http, spotify,
                         {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}});
}

Result<TokenGrant> exchange_authorization_code(HttpClient& http, const SpotifyConfig& spotify,
                                               const std::string& code,
                                               const std::string& verifier) {
    return token_request(http, spotify,
                         {{"grant_type", "authorization_code"},
                          {"code", code},
                          {"redirect_uri", spotify.redirect_uri},
                          {"code_verifier", verifier}});
}

WebApi::WebApi(HttpClient& http, std::string api_url, std::string access_token, long timeout_ms)
    : http_(http),
      api_url_(std::move(api_url)),
      authorization_("Bearer " + std::move(access_token)),
      timeout_ms_(timeout_ms) {}

Result<HttpResponse> WebApi::get(const std::string& url) {
    HttpRequest request;
    request.url = url;
    request.timeout_ms = timeout_ms_;
    request.headers.emplace_back("Authorization", authorization_);
    auto response = http_.send(request);
    if (!response) return response.error();
    if (!success(response->status)) {
        return parse_api_error(response->status, response->body, response->retry_after_s());
    }
    return response;
}

Result<HttpResponse> WebApi::send(const std::string& method, const std::string& path,
                                  const std::optional<nlohmann::json>& body) {
    HttpRequest request;
    request.method = method;
    request.url = api_url_ + path;
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

Result<PlaybackState> WebApi::player(int64_t now_ms) {
    auto response = get(api_url_ + "/me/player?additional_types=episode");
    if (!response) return response.error();
    return parse_player(response->status, response->body, now_ms);
}

Result<std::vector<Device>> WebApi::devices() {
    auto response = get(api_url_ + "/me/player/devices");
    if (!response) return response.error();
    return parse_devices(response->body);
}

Result<std::vector<Playlist>> WebApi::playlists() {
    std::vector<Playlist> all;
    std::string url = api_url_ + "/me/playlists?limit=50";
    for (int page = 0; page < kMaxPlaylistPages && !url.empty(); ++page) {
        auto response = get(url);
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
    auto response = get(api_url_ + "/me");
    if (!response) return response.error();
    return parse_profile(response->body);
}

Result<std::string> WebApi::object_name(const std::string& path) {
    auto response = get(api_url_ + path);
    if (!response) return response.error();
    return parse_object_name(response->body);
}

}  // namespace s2m
