#include "app/modules/LibraryModule.h"

#include "app/AccountScopes.h"
#include "app/LibraryJob.h"

namespace s2m {

namespace {

// Free accounts have a library too; what a list needs is its scope (docs/linking.md#scopes).
std::optional<CommandError> library_scope_refusal(const Account& account,
                                                  const LibraryQuery& query) {
    const FeatureScopes& needs = scopes_of(library_feature(query.type));
    if (account_may_use(account, needs.feature)) return std::nullopt;
    std::string scopes;
    for (const char* scope : needs.scopes)
        scopes += (scopes.empty() ? "" : ", ") + std::string(scope);
    return missing_scope_error("listing " + std::string(needs.what), scopes, account.name);
}

// What the messages call the read of `query`.
std::string library_action_of(const LibraryQuery& query) {
    return query.type == LibraryType::Artists
               ? endpoint::get_followed_artists(std::nullopt, query.limit).action
               : endpoint::get_saved_items(query.type, query.offset, query.limit).action;
}

// The LibraryJob with the queue's token, its outcome in the shape the queue answers with.
RequestOutcome run_library_request(HttpClient& http, const JobRequest& job,
                                   const LibraryQuery& query,
                                   const std::function<int64_t()>& now_ms) {
    LibraryJobRequest request;
    static_cast<JobRequest&>(request) = job;
    request.query = query;
    LibraryJobOutcome outcome = run_library(http, request, now_ms);
    return RequestOutcome{outcome.calls, outcome.refresh_deferred, std::move(outcome.error),
                          outcome.page ? library_page_json(*outcome.page) : nlohmann::json()};
}

const AccountRequestKind<LibraryRequest> kLibrary{
    .name = "library",
    .failed = "library read",
    .example = "{\"account\":\"alice\",\"type\":\"tracks\"}",
    .waiting = "library requests",
    .parse = parse_library_request,
    .refusal = library_scope_refusal,
    .action = library_action_of,
    .run = run_library_request,
};

}  // namespace

LibraryModule::LibraryModule(const JobPorts& ports, PollControl& polls)
    : AccountRequestModule(ports, polls, kLibrary) {}

}  // namespace s2m
