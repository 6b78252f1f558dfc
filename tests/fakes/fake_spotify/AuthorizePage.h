// The HTML of the accounts site: the login/consent page of GET /authorize and its error page.
// Everything that comes from a request or from test data is escaped: tests put quotes and
// angle brackets into state and display names on purpose.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "AuthorizeRequest.h"

namespace fake_spotify {

struct PageUser {
    std::string id;
    std::string display_name;
};

// A page showing only `message` (e.g. "INVALID_CLIENT: Invalid redirect URI") in
// <p id="error">, like Spotify's plain error page.
std::string error_page(const std::string& message);

// The consent form, posting to /authorize/decision:
//   <select id="user" name="user"> one option per user (value = id); `hint` (the `user` query
//     parameter) is preselected, and so is the only user when there is just one
//   <ul id="scopes"> one <li data-scope="…"> per requested scope
//   hidden inputs named like the request's parameters (only those it had)
//   <button id="agree" name="decision" value="agree">, <button id="cancel" … value="cancel">
std::string consent_page(const AuthorizeRequest& request, const std::vector<PageUser>& users,
                         const std::optional<std::string>& hint);

std::string html_escape(std::string_view text);

}  // namespace fake_spotify
