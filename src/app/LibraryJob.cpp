#include "app/LibraryJob.h"

namespace s2m {

namespace {

Result<LibraryPage> followed_artists(ApiSession& session, const LibraryQuery& query, int& calls) {
    LibraryPage page;
    page.offset = query.offset;
    // From the start, only `limit` are needed; further in, whole pages up to the offset.
    const int page_size = query.offset == 0 ? query.limit : kArtistsPageSize;
    const int max_pages = query.offset == 0 ? 1 : (query.offset + query.limit) / page_size + 1;
    int skip = query.offset;
    std::optional<std::string> after;
    for (int i = 0; i < max_pages; ++i) {
        ++calls;
        auto read = session.read<FollowedArtistsPage>(
            [&](WebApi& api) { return api.followed_artists(after, page_size); });
        if (!read) return read.error();
        page.total = read->total;
        for (LibraryEntry& entry : read->items) {
            if (skip > 0) {
                --skip;
            } else if (static_cast<int>(page.items.size()) < query.limit) {
                page.items.push_back(std::move(entry));
            }
        }
        // The last page, or a server that hands out the same cursor again.
        bool full = static_cast<int>(page.items.size()) >= query.limit;
        if (full || !read->after || read->after == after) break;
        after = read->after;
    }
    return page;
}

}  // namespace

LibraryJobOutcome run_library(HttpClient& http, const LibraryJobRequest& request,
                              const std::function<int64_t()>& now_ms) {
    LibraryJobOutcome outcome;
    ApiSession session(http, request, now_ms);
    if (session.ensure_fresh_token()) {
        const LibraryQuery& query = request.query;
        Result<LibraryPage> read = Error{ErrorKind::Internal, "not read"};
        if (query.type == LibraryType::Artists) {
            read = followed_artists(session, query, outcome.calls);
        } else {
            outcome.calls = 1;
            read = session.read<LibraryPage>([&](WebApi& api) {
                return api.saved_items(query.type, query.offset, query.limit);
            });
            if (read) read.value().offset = query.offset;
        }
        if (read) {
            outcome.page = std::move(read.value());
        } else {
            outcome.error = read.error();
        }
    }
    static_cast<SessionResult&>(outcome) = session.result();
    if (!outcome.error && outcome.auth_error) outcome.error = outcome.auth_error;
    if (outcome.refresh_deferred) outcome.error.reset();  // runs again after a poll
    return outcome;
}

}  // namespace s2m
