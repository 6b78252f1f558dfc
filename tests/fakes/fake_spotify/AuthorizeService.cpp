#include "AuthorizeService.h"

#include <algorithm>
#include <mutex>

#include "AuthorizePage.h"
#include "ControlApi.h"

namespace fake_spotify {

namespace {

void send_html(httplib::Response& res, int status, const std::string& html) {
    res.status = status;
    res.set_content(html, "text/html; charset=utf-8");
}

// `redirect_status`: 302 answers the GET of /authorize, 303 turns the form's POST into a GET.
void send_refusal(httplib::Response& res, const AuthorizeError& error, int redirect_status) {
    if (error.location.empty()) {
        send_html(res, 400, error_page(error.message));
        return;
    }
    res.status = redirect_status;
    res.set_header("Location", error.location);
}

std::optional<std::string> text_field(const json& body, const char* key) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw ApiError(400, std::string(key) + " must be a string");
    return it->get<std::string>();
}

std::optional<std::string> form_field(const Params& form, const char* key) {
    auto it = form.find(key);
    if (it == form.end()) return std::nullopt;
    return it->second;
}

}  // namespace

AuthorizeService::AuthorizeService(World& world, AccountsService& accounts) : world_(world) {
    accounts.add_grant(
        "authorization_code",
        [this](const Params& form, const TokenClient& client) {
            return authorization_code_grant(form, client);
        },
        true);
}

void AuthorizeService::register_routes(Router& router) {
    router.add("GET", "/authorize", [this](Call& c) { authorize_page(c); });
    router.add("POST", "/authorize/decision", [this](Call& c) { decision(c); });
    router.add("POST", "/_control/authorize", [this](Call& c) { control_authorize(c); });
}

std::optional<std::string> AuthorizeService::user_of_code(const std::string& code) const {
    return codes_.user_of(code, world_.now_ms());
}

void AuthorizeService::authorize_page(Call& call) {
    // The page and its redirects carry request data; nothing here may be cached or replayed.
    call.res.set_header("Cache-Control", "no-store");
    std::lock_guard lock(world_.mutex());
    if (auto id = call.param("client_id"); id && world_.client(*id)) call.client_id = *id;
    try {
        AuthorizeRequest request = check_authorize_request(world_, call.query);
        std::vector<PageUser> users;
        for (const auto& [id, user] : world_.users()) users.push_back({id, user.display_name});
        send_html(call.res, 200, consent_page(request, users, call.param("user")));
    } catch (const AuthorizeError& e) {
        send_refusal(call.res, e, 302);
    }
}

void AuthorizeService::decision(Call& call) {
    call.res.set_header("Cache-Control", "no-store");
    Params form;
    if (call.req.get_header_value("Content-Type")
            .starts_with("application/x-www-form-urlencoded")) {
        form = parse_urlencoded(call.req.body);
    }
    std::lock_guard lock(world_.mutex());
    try {
        // The hidden fields come back from the browser: trust them no more than the first GET.
        AuthorizeRequest request = check_authorize_request(world_, form);
        call.client_id = request.client_id;
        auto choice = form_field(form, "decision");
        if (choice == "cancel") {
            call.res.status = 303;
            call.res.set_header("Location", error_location(request, "access_denied"));
            return;
        }
        if (choice != "agree") {
            send_html(call.res, 400, error_page("decision must be agree or cancel"));
            return;
        }
        User* user = world_.user(form_field(form, "user").value_or(""));
        if (!user) {
            send_html(call.res, 400, error_page("Choose a user to log in as"));
            return;
        }
        call.user = user->id;
        call.res.status = 303;
        call.res.set_header("Location", code_location(request, issue_code(request, *user)));
    } catch (const AuthorizeError& e) {
        send_refusal(call.res, e, 303);
    }
}

void AuthorizeService::control_authorize(Call& call) {
    json body = parse_json_body(call);
    if (!body.is_object()) throw ApiError(400, "authorize must be a JSON object");
    static const char* allowed[] = {"user",  "client_id",      "redirect_uri",         "state",
                                    "scope", "code_challenge", "code_challenge_method"};
    for (const auto& [key, value] : body.items()) {
        if (std::find(std::begin(allowed), std::end(allowed), key) == std::end(allowed)) {
            throw ApiError(400, "unknown key '" + key + "' in authorize");
        }
    }
    auto user_id = text_field(body, "user");
    if (!user_id) throw ApiError(400, "authorize needs a user");
    std::lock_guard lock(world_.mutex());
    User* user = world_.user(*user_id);
    if (!user) throw ApiError(404, "No such user: " + *user_id);

    // The same parameters a browser would bring to GET /authorize, so the same checks apply.
    Params params{{"response_type", "code"},
                  {"scope", text_field(body, "scope").value_or(user->scope)}};
    for (const char* key :
         {"client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method"}) {
        if (auto value = text_field(body, key)) params[key] = *value;
    }
    if (params.contains("code_challenge") && !params.contains("code_challenge_method")) {
        params["code_challenge_method"] = "S256";
    }
    try {
        AuthorizeRequest request = check_authorize_request(world_, params);
        std::string code = issue_code(request, *user);
        send_json(call.res, 200, {{"code", code}, {"location", code_location(request, code)}});
    } catch (const AuthorizeError& e) {
        throw ApiError(400, e.message);
    }
}

std::string AuthorizeService::issue_code(const AuthorizeRequest& request, const User& user) {
    return codes_.issue(AuthorizationCode{request.client_id, request.redirect_uri, user.id,
                                          request.scope, request.code_challenge, 0},
                        world_.now_ms());
}

json AuthorizeService::authorization_code_grant(const Params& form, const TokenClient& client) {
    auto value = form_field(form, "code");
    if (!value || value->empty()) throw OAuthError(400, "invalid_request", "code must be supplied");
    // Taken before any other check: a code that was presented once, even wrongly, is gone.
    auto code = codes_.take(*value, world_.now_ms());
    if (!code || code->client_id != client.app.id) {
        throw OAuthError(400, "invalid_grant", "Invalid authorization code");
    }
    if (form_field(form, "redirect_uri") != code->redirect_uri) {
        throw OAuthError(400, "invalid_grant", "Invalid redirect URI");
    }
    auto verifier = form_field(form, "code_verifier");
    if (code->code_challenge) {
        if (!verifier || verifier->empty()) {
            throw OAuthError(400, "invalid_request", "code_verifier required");
        }
        if (!constant_time_equal(s256_challenge(*verifier), *code->code_challenge)) {
            throw OAuthError(400, "invalid_grant", "code_verifier was incorrect");
        }
    } else if (!client.secret_verified) {
        // Without PKCE only the secret shows that whoever redeems the code is the app it was
        // issued to; a public client has no secret, so PKCE is its only way.
        if (client.app.secret) throw OAuthError(400, "invalid_client", "Invalid client secret");
        throw OAuthError(400, "invalid_request", "code_verifier required");
    }
    User* user = world_.user(code->user_id);
    if (!user) throw OAuthError(400, "invalid_grant", "Invalid authorization code");
    // The fake keeps one grant per user: what was consented to now is what refreshes report.
    user->scope = code->scope;
    return token_response(world_.issue(*user, client.app.id, true));
}

}  // namespace fake_spotify
