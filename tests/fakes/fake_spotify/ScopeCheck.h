// Scope checks, as Spotify makes them: an access token carries the scopes the user granted when
// the app was authorized, and an endpoint that needs one the token lacks answers
// 403 {"error":{"status":403,"message":"Insufficient client scope"}}. Any endpoint checks its
// scope in one line: `User& user = require_scope(world_, call, "user-top-read");`.
#pragma once

#include <string>

#include "Http.h"
#include "World.h"

namespace fake_spotify {

// The user behind the request's token (require_user: 401 / 400 as Spotify answers), when the
// token holds `scope`; else ApiError 403 "Insufficient client scope". Call with World::mutex()
// held.
User& require_scope(World& world, Call& call, const std::string& scope);
// The same for an endpoint that accepts either of two scopes (public or private playlists).
User& require_any_scope(World& world, Call& call, const std::string& one, const std::string& other);

}  // namespace fake_spotify
