// One page of an account's library (bridge/request/library, docs/mqtt.md#library), run on a
// worker. A saved list is one GET of that page. Followed artists are paged by cursor, so the job
// walks the cursor pages from the first (50 artists a call) until it has skipped `offset` and
// holds `limit` (at most kMaxArtistsOffset / 50 + 1 calls); offset 0 is one call. The job never
// renews the token itself (a poll or a command holds that right): when it would have to, it
// comes back with refresh_deferred and the module asks for a poll and runs it again. Touches no
// bridge state.
#pragma once

#include <functional>
#include <optional>

#include "core/Library.h"
#include "ports/HttpClient.h"
#include "spotify/WebApi.h"

namespace s2m {

struct LibraryJobRequest : JobRequest {
    LibraryQuery query;
};

struct LibraryJobOutcome : SessionResult {
    std::optional<LibraryPage> page;
    std::optional<Error> error;  // Spotify's answer, the network's, or the token's
    int calls = 0;               // calls that went out (for the rate gate)
};

LibraryJobOutcome run_library(HttpClient& http, const LibraryJobRequest& request,
                              const std::function<int64_t()>& now_ms);

}  // namespace s2m
