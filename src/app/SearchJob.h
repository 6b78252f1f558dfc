// One search of one account (bridge/request/search, docs/mqtt.md#search), run on a worker: a
// single GET /search with the account's token. The job never renews the token itself (a poll or
// a command holds that right): when it would have to, it comes back with refresh_deferred and
// the module asks for a poll and runs it again. Touches no bridge state.
#pragma once

#include <functional>
#include <optional>

#include "core/Search.h"
#include "ports/HttpClient.h"
#include "spotify/WebApi.h"

namespace s2m {

struct SearchJobRequest : JobRequest {
    SearchQuery query;
};

struct SearchJobOutcome : SessionResult {
    std::optional<SearchResults> results;
    std::optional<Error> error;  // Spotify's answer, the network's, or the token's
    bool called = false;         // the search call went out (for the rate gate)
};

SearchJobOutcome run_search(HttpClient& http, const SearchJobRequest& request,
                            const std::function<int64_t()>& now_ms);

}  // namespace s2m
