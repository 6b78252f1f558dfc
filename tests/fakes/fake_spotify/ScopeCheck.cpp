#include "ScopeCheck.h"

#include <algorithm>

#include "WebApi.h"

namespace fake_spotify {

namespace {

bool token_has(World& world, const Call& call, const std::string& scope) {
    // require_user accepted the header, so it is "Bearer <token>".
    std::string token = call.req.get_header_value("Authorization").substr(7);
    std::vector<std::string> granted = split(world.scope_of_access_token(token).value_or(""), ' ');
    return std::find(granted.begin(), granted.end(), scope) != granted.end();
}

}  // namespace

User& require_scope(World& world, Call& call, const std::string& scope) {
    User& user = require_user(world, call);
    if (!token_has(world, call, scope)) throw ApiError(403, "Insufficient client scope");
    return user;
}

User& require_any_scope(World& world, Call& call, const std::string& one,
                        const std::string& other) {
    User& user = require_user(world, call);
    if (!token_has(world, call, one) && !token_has(world, call, other))
        throw ApiError(403, "Insufficient client scope");
    return user;
}

}  // namespace fake_spotify
