#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace s2m::test {

// Typed access to fake_spotify's test control API (tests/fakes/fake_spotify/ControlApi.h).
// Every helper throws std::runtime_error naming the request and the answer when the fake does
// not answer 2xx, so a failing set-up step fails the test with a readable message.
// Each call opens its own connection: instances may be shared between threads.
class FakeSpotifyClient {
  public:
    // base_url: "http://127.0.0.1:PORT" as printed by fake_spotify; for https://, the CA
    // (PEM) that signed the fake's certificate.
    explicit FakeSpotifyClient(std::string base_url, std::filesystem::path ca_cert = {});

    const std::string& base_url() const { return base_url_; }
    std::string api_url() const { return base_url_ + "/v1"; }      // spotify.api_url
    const std::string& accounts_url() const { return base_url_; }  // spotify.accounts_url

    // GET /_control/health; false instead of throwing.
    bool healthy() const;
    bool wait_healthy(std::chrono::milliseconds timeout) const;

    // Users. spec: {"id","refresh_token",…}; every helper answers the user's full state.
    nlohmann::json create_user(const nlohmann::json& spec) const;
    nlohmann::json user(const std::string& id) const;
    // A change "from a phone": {"active":false} or {is_playing, context_uri, uris, track_index,
    // track_uri, progress_ms, device_id, volume, shuffle, repeat, queue}.
    nlohmann::json set_playback(const std::string& id, const nlohmann::json& change) const;
    nlohmann::json set_devices(const std::string& id, const nlohmann::json& devices) const;
    // {product, display_name, rotate_refresh_tokens, token_lifetime_s, scope}; tokens survive.
    nlohmann::json set_profile(const std::string& id, const nlohmann::json& profile) const;
    nlohmann::json revoke_refresh_tokens(const std::string& id) const;
    nlohmann::json expire_access_tokens(const std::string& id) const;
    // The newest valid refresh token of a user (after rotations), or "" when none.
    std::string refresh_token(const std::string& id) const;

    // Apps. Registers or replaces client_id (nullopt secret: a public, PKCE-only app) with
    // exactly these redirect URIs; answers {"client_id","client_secret","redirect_uris"}.
    nlohmann::json register_app(const std::string& client_id,
                                const std::optional<std::string>& client_secret,
                                const std::vector<std::string>& redirect_uris) const;
    // A code as if `user` had agreed on the consent page, with the same checks as GET
    // /authorize: {"user","client_id","redirect_uri", "state"?, "scope"? (default: the user's
    // scope), "code_challenge"?, "code_challenge_method"? (default S256)}. Answers
    // {"code","location"}, location being redirect_uri?code=…[&state=…].
    nlohmann::json authorize(const nlohmann::json& request) const;
    // authorize() as `user` with the fields of the bridge's /authorize address, given as its
    // decoded query (client_id, redirect_uri, state, scope, code_challenge).
    nlohmann::json agree_as(const std::string& user,
                            const std::map<std::string, std::string>& authorize_query) const;

    // Faults: {method?, path_prefix? | path? (exact), status?, headers?, body? | raw_body? |
    // raw_body_size?, content_type?, delay_ms?, count? (default 1, -1 = until removed), user?}.
    // Returns its id.
    int64_t add_fault(const nlohmann::json& rule) const;
    // Shorthand for the common 429: `count` answers with Retry-After: retry_after_s.
    int64_t add_rate_limit(const std::string& path_prefix, int retry_after_s, int count = 1) const;
    nlohmann::json faults() const;
    void remove_fault(int64_t id) const;
    void clear_faults() const;

    // The request log: [{seq, t_ms, mono_us, method, path, query, body, user, client_id, status,
    // header_names}];
    // mono_us is the arrival time on std::chrono::steady_clock (shared by processes on Linux).
    nlohmann::json requests(int64_t since = 0) const;
    // Entries with this method and exact path (query ignored), e.g. ("PUT", "/v1/me/player/play").
    nlohmann::json requests_to(const std::string& method, const std::string& path,
                               int64_t since = 0) const;
    // The highest seq logged so far (0 when empty): remember it, act, then requests(since).
    int64_t last_seq() const;
    void clear_requests() const;

    // Simulated clock: {"now_ms","speed"}.
    nlohmann::json clock() const;
    nlohmann::json set_clock_speed(double speed) const;
    nlohmann::json advance_clock(int64_t ms) const;

    // Acts as the bridge would: POST /api/token with Basic client credentials. Answers the
    // status and the body ({"access_token",…} or {"error",…}) without throwing.
    struct TokenAnswer {
        int status = 0;
        nlohmann::json body;
    };
    TokenAnswer refresh(const std::string& client_id, const std::string& client_secret,
                        const std::string& refresh_token) const;

  private:
    nlohmann::json call(const std::string& method, const std::string& path,
                        const nlohmann::json* body) const;

    std::string base_url_;
    std::filesystem::path ca_cert_;
};

}  // namespace s2m::test
