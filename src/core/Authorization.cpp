#include "core/Authorization.h"

#include <openssl/sha.h>

#include <algorithm>

#include "config/ConfigChecks.h"
#include "core/Encoding.h"

namespace s2m {

namespace {
constexpr size_t kStateBytes = 24;     // 192 bits: unguessable
constexpr size_t kVerifierBytes = 48;  // 64 base64url characters (RFC 7636 allows 43–128)
}  // namespace

const std::vector<ScopeNeed>& requested_scopes() {
    static const std::vector<ScopeNeed> scopes{
        {"user-read-playback-state", "read what plays where, and the list of devices"},
        {"user-modify-playback-state",
         "play, pause, skip, seek, volume, shuffle, repeat, transfer"},
        {"user-read-currently-playing", "read the current track and episode"},
        {"playlist-read-private", "list your private playlists so they can be chosen"},
        {"playlist-read-collaborative", "list collaborative playlists too"},
        {"user-library-read", "tell whether the current track is in Liked Songs"},
        {"user-library-modify", "like or unlike the current track"},
        {"user-read-private", "know whether the account has Premium (needed for control)"},
        // Added 2026-12; accounts linked before lack them (core/Scopes.h).
        {"playlist-modify-private", "add to, remove from and create your private playlists"},
        {"playlist-modify-public", "add to, remove from and create your public playlists"},
        {"user-read-recently-played", "show what you played recently (the recent topic)"},
        {"user-top-read", "show your top tracks and artists (the top topic)"},
        {"user-follow-read", "list the artists you follow (the library request)"},
    };
    return scopes;
}

std::string scope_string() {
    std::string text;
    for (const ScopeNeed& need : requested_scopes()) {
        if (!text.empty()) text.push_back(' ');
        text += need.scope;
    }
    return text;
}

std::string pkce_challenge(std::string_view verifier) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

PendingAuthorization& PendingAuthorizations::begin(std::optional<std::string> account,
                                                   int64_t now_ms) {
    forget_expired(now_ms);
    while (pending_.size() >= kMaxPending) {
        auto oldest = std::min_element(pending_.begin(), pending_.end(), [](auto& a, auto& b) {
            return a.second.created_at_ms < b.second.created_at_ms;
        });
        pending_.erase(oldest);
    }
    PendingAuthorization request;
    request.state = base64url_encode(random_(kStateBytes));
    request.verifier = base64url_encode(random_(kVerifierBytes));
    request.account = std::move(account);
    request.created_at_ms = now_ms;
    std::string key = request.state;
    return pending_[key] = std::move(request);
}

std::optional<PendingAuthorization> PendingAuthorizations::take(const std::string& state,
                                                                int64_t now_ms) {
    forget_expired(now_ms);
    auto it = pending_.find(state);
    if (it == pending_.end()) return std::nullopt;
    PendingAuthorization request = std::move(it->second);
    pending_.erase(it);
    return request;
}

void PendingAuthorizations::forget_expired(int64_t now_ms) {
    std::erase_if(pending_, [now_ms](const auto& entry) {
        return now_ms - entry.second.created_at_ms > kLifetimeMs;
    });
}

std::string authorize_url(const SpotifyConfig& spotify, const PendingAuthorization& pending) {
    return spotify.accounts_url + "/authorize?" +
           form_encode({{"client_id", spotify.client_id},
                        {"response_type", "code"},
                        {"redirect_uri", spotify.redirect_uri},
                        {"state", pending.state},
                        {"scope", scope_string()},
                        {"code_challenge_method", "S256"},
                        {"code_challenge", pkce_challenge(pending.verifier)},
                        // Lets a person pick another Spotify account for the next link.
                        {"show_dialog", "true"}});
}

Result<CallbackParams> parse_callback(std::string_view pasted) {
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!pasted.empty() && is_space(pasted.front())) pasted.remove_prefix(1);
    while (!pasted.empty() && is_space(pasted.back())) pasted.remove_suffix(1);
    if (size_t question = pasted.find('?'); question != std::string_view::npos) {
        pasted.remove_prefix(question + 1);
    }
    if (size_t hash = pasted.find('#'); hash != std::string_view::npos) {
        pasted = pasted.substr(0, hash);
    }
    auto pairs = parse_query(pasted);
    if (!pairs) return Error{ErrorKind::BadResponse, "that address is garbled (a broken %-escape)"};
    CallbackParams params;
    for (auto& [key, value] : *pairs) {
        if (key == "code") params.code = std::move(value);
        if (key == "state") params.state = std::move(value);
        if (key == "error") params.error = std::move(value);
    }
    if (params.state.empty()) {
        return Error{ErrorKind::BadResponse,
                     "that address has no `state`; copy the whole address from the browser's "
                     "address bar after Spotify sent you back"};
    }
    if (params.code.empty() && params.error.empty()) {
        return Error{ErrorKind::BadResponse,
                     "that address has neither a `code` nor an `error` from Spotify"};
    }
    return params;
}

std::string describe_authorize_error(const std::string& error) {
    if (error == "access_denied") return "access was not granted on Spotify's page (Cancel)";
    // Anything else comes from the query string: name it, but keep it short and printable.
    std::string shown;
    for (char c : error.substr(0, 64)) {
        shown.push_back((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ? c : '?');
    }
    return "Spotify refused the authorization (" + shown + ")";
}

std::string account_name_for_user(std::string_view user_id) {
    std::string name;
    for (char c : user_id) {
        if (name.size() == 32) break;
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        name.push_back(allowed ? c : '-');
    }
    return name.empty() ? "spotify" : name;
}

namespace {
// A name derived from a Spotify user id obeys the rules a typed one does: a user id `bridge`
// must not become the account `bridge`, whose topics are the bridge's own (<base>/bridge/...).
Result<std::string> derived_account_name(const std::string& user_id) {
    std::string name = account_name_for_user(user_id);
    if (!check_account_name(name)) return name;
    name = ("spotify-" + name).substr(0, 32);
    if (auto problem = check_account_name(name)) {
        return Error{ErrorKind::Refused, "the name derived from the Spotify user id " + *problem +
                                             "; type a name for the account"};
    }
    return name;
}
}  // namespace

Result<std::string> choose_account_name(const std::optional<std::string>& requested,
                                        const std::string& user_id,
                                        const std::vector<LinkedName>& existing) {
    auto holder = [&](const std::string& name) -> const LinkedName* {
        for (const LinkedName& linked : existing) {
            if (linked.name == name) return &linked;
        }
        return nullptr;
    };
    auto same_user = std::find_if(existing.begin(), existing.end(),
                                  [&](const LinkedName& l) { return l.user_id == user_id; });
    std::string name;
    if (requested) {
        if (auto problem = check_account_name(*requested)) {
            return Error{ErrorKind::Refused, "the account name " + *problem};
        }
        // One Spotify user, one account: under a second name it would be polled twice and show
        // up as a second device in Home Assistant.
        if (same_user != existing.end() && same_user->name != *requested) {
            const std::string& held = same_user->name;
            return Error{ErrorKind::Refused,
                         "this Spotify account (user " + user_id + ") is already linked as `" +
                             held + "`; to link it again, use \"Link again\" next to `" + held +
                             "` on the page or `spotify2mqtt link --account " + held +
                             "`, or unlink `" + held + "` first to give it another name"};
        }
        name = *requested;
    } else if (same_user != existing.end()) {
        name = same_user->name;  // linked again: same name, same topics
    } else {
        auto derived = derived_account_name(user_id);
        if (!derived) return derived.error();
        name = derived.value();
    }
    const LinkedName* taken = holder(name);
    // A name seeded from the config has no user yet: the first user linked under it takes it.
    if (taken && taken->user_id && *taken->user_id != user_id) {
        return Error{ErrorKind::Refused,
                     "the name `" + name +
                         "` already belongs to another Spotify account; link this one under "
                         "another name, or unlink `" +
                         name + "` first"};
    }
    return name;
}

}  // namespace s2m
