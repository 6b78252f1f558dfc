#include "app/SearchJob.h"

namespace s2m {

SearchJobOutcome run_search(HttpClient& http, const SearchJobRequest& request,
                            const std::function<int64_t()>& now_ms) {
    SearchJobOutcome outcome;
    ApiSession session(http, request, now_ms);
    if (session.ensure_fresh_token()) {
        outcome.called = true;
        auto found =
            session.read<SearchResults>([&](WebApi& api) { return api.search(request.query); });
        if (found) {
            outcome.results = std::move(found.value());
        } else {
            outcome.error = found.error();
        }
    }
    static_cast<SessionResult&>(outcome) = session.result();
    if (!outcome.error && outcome.auth_error) outcome.error = outcome.auth_error;
    if (outcome.refresh_deferred) outcome.error.reset();  // runs again after a poll
    return outcome;
}

}  // namespace s2m
