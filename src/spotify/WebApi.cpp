#include "spotify/WebApi.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

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

Result<std::optional<bool>> WebApi::playlist_contains(const std::string& playlist_id,
                                                      const std::string& uri, int max_pages) {
    for (int page = 0; page < max_pages; ++page) {
        auto response = send(endpoint::get_playlist_item_uris(playlist_id, page * 50));
        if (!response) return response.error();
        auto parsed = parse_playlist_item_uris(response->body);
        if (!parsed) return parsed.error();
        if (std::find(parsed->uris.begin(), parsed->uris.end(), uri) != parsed->uris.end())
            return std::optional<bool>(true);
        if (!parsed->more) return std::optional<bool>(false);
    }
    return std::optional<bool>();
}

Result<UserProfile> WebApi::me() {
    auto response = send(endpoint::get_current_user());
    if (!response) return response.error();
    return parse_profile(response->body);
}

Result<SearchResults> WebApi::search(const SearchQuery& query) {
    auto response = send(endpoint::search(query));
    if (!response) return response.error();
    return parse_search_results(response->body, query.types);
}

Result<LibraryPage> WebApi::saved_items(LibraryType type, int offset, int limit) {
    auto response = send(endpoint::get_saved_items(type, offset, limit));
    if (!response) return response.error();
    return parse_saved_items(response->body, type);
}

Result<FollowedArtistsPage> WebApi::followed_artists(const std::optional<std::string>& after,
                                                     int limit) {
    auto response = send(endpoint::get_followed_artists(after, limit));
    if (!response) return response.error();
    return parse_followed_artists(response->body);
}

Result<PlayQueue> WebApi::queue() {
    auto response = send(endpoint::get_queue());
    if (!response) return response.error();
    return parse_queue(response->body);
}

Result<std::vector<PlayedItem>> WebApi::recently_played(int limit) {
    auto response = send(endpoint::get_recently_played(limit));
    if (!response) return response.error();
    return parse_recently_played(response->body);
}

Result<TopItems> WebApi::top_items(const std::string& time_range, int limit) {
    TopItems top;
    auto tracks = send(endpoint::get_top_tracks(time_range, limit));
    if (!tracks) return tracks.error();
    auto parsed_tracks = parse_top_tracks(tracks->body);
    if (!parsed_tracks) return parsed_tracks.error();
    top.tracks = std::move(parsed_tracks.value());
    auto artists = send(endpoint::get_top_artists(time_range, limit));
    if (!artists) return artists.error();
    auto parsed_artists = parse_top_artists(artists->body);
    if (!parsed_artists) return parsed_artists.error();
    top.artists = std::move(parsed_artists.value());
    return top;
}

Result<bool> WebApi::in_library(const std::string& uri) {
    auto response = send(endpoint::check_library_contains(uri));
    if (!response) return response.error();
    return parse_library_contains(response->body);
}

Result<std::string> WebApi::object_name(const endpoint::Request& request) {
    auto response = send(request);
    if (!response) return response.error();
    return parse_object_name(response->body);
}

// ---- ApiSession ---------------------------------------------------------------------------------

int64_t RetryPolicy::delay_ms(int attempt) const {
    double factor = 1.0;
    if (jitter) {
        factor = jitter();
    } else {
        static thread_local std::mt19937 random{std::random_device{}()};
        factor = std::uniform_real_distribution<double>(0.5, 1.5)(random);
    }
    int64_t base = base_delay_ms << std::clamp(attempt - 2, 0, 10);
    return static_cast<int64_t>(static_cast<double>(base) * factor);
}

void ApiSession::pause(int64_t ms) {
    if (retry_.sleep) {
        retry_.sleep(ms);
    } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
}

ApiSession::ApiSession(HttpClient& http, const JobRequest& request,
                       const std::function<int64_t()>& now_ms)
    : http_(http),
      spotify_(request.spotify),
      token_(request.token),
      now_ms_(now_ms),
      timeout_ms_(request.timeout_ms),
      original_refresh_token_(token_.refresh_token),
      window_(request.rate_window) {}

SessionResult ApiSession::result() const {
    SessionResult result;
    result.grant = grant_;
    result.grant_received_at_ms = grant_received_at_ms_;
    result.refresh_deferred = refresh_deferred_;
    if (!refresh_deferred_) result.auth_error = auth_error_;
    return result;
}

bool ApiSession::ensure_fresh_token() {
    // A stored access token that is not token text (a hand-edited or damaged file) is never put
    // into a header: renew it instead.
    bool expiring = !is_token_text(token_.access_token) ||
                    token_.access_expires_at_ms - now_ms_() < kRefreshAheadMs;
    return !expiring || refresh();
}

std::optional<Error> ApiSession::refused_by_gate() const {
    if (!window_) return std::nullopt;
    int64_t now = now_ms_();
    int64_t until = window_->closed_until_ms();
    if (now >= until) return std::nullopt;
    return gate_refusal(now, until);
}

void ApiSession::note_rate_limit(const Error& error) {
    // A refusal of our own is not news; a 429 from Spotify stops the app's other jobs now,
    // not only once the loop has heard of it.
    if (!window_ || error.kind != ErrorKind::RateLimited || is_gate_refusal(error)) return;
    window_->close_until(now_ms_() + rate_limit_window_ms(error));
}

bool ApiSession::refresh() {
    // The token endpoint counts as a request of the app too.
    if (auto refusal = refused_by_gate()) {
        auth_error_ = *refusal;
        return false;
    }
    if (!token_.may_refresh) {
        refresh_deferred_ = true;
        auth_error_ = Error{ErrorKind::Unauthorized,
                            "the access token needs renewing and another request is renewing it"};
        return false;
    }
    if (!is_token_text(token_.refresh_token)) {
        // Spotify would answer 400 every time: say what helps at once.
        auth_error_ = Error{ErrorKind::InvalidGrant,
                            "the stored refresh token is empty or damaged; link the account again"};
        auth_error_->reason = "REAUTH_REQUIRED";
        return false;
    }
    auto grant = refresh_access_token(http_, spotify_, token_.refresh_token);
    if (!grant) {
        note_rate_limit(grant.error());
        auth_error_ = grant.error();
        return false;
    }
    token_.access_token = grant->access_token;
    // A rotated refresh token from this grant is the one to use from now on.
    if (grant->refresh_token) token_.refresh_token = *grant->refresh_token;
    grant_ = grant.value();
    // Keep a rotation from an earlier refresh of this job even if this grant did not rotate.
    if (token_.refresh_token != original_refresh_token_)
        grant_->refresh_token = token_.refresh_token;
    grant_received_at_ms_ = now_ms_();
    return true;
}

}  // namespace s2m
