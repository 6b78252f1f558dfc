#include "app/modules/SearchModule.h"

#include "app/SearchJob.h"

namespace s2m {

namespace {

// The SearchJob with the queue's token, its outcome in the shape the queue answers with.
RequestOutcome run_search_request(HttpClient& http, const JobRequest& job, const SearchQuery& query,
                                  const std::function<int64_t()>& now_ms) {
    SearchJobRequest request;
    static_cast<JobRequest&>(request) = job;
    request.query = query;
    SearchJobOutcome outcome = run_search(http, request, now_ms);
    return RequestOutcome{outcome.called ? 1 : 0, outcome.refresh_deferred,
                          std::move(outcome.error),
                          outcome.results ? results_json(*outcome.results) : nlohmann::json()};
}

// Free accounts may search: nothing beyond the rules of commands.
const AccountRequestKind<SearchRequest> kSearch{
    .name = "search",
    .failed = "search",
    .example = "{\"account\":\"alice\",\"query\":\"Daft Punk\"}",
    .waiting = "searches",
    .parse = parse_search_request,
    .refusal = nullptr,
    .action = [](const SearchQuery& query) { return endpoint::search(query).action; },
    .run = run_search_request,
};

}  // namespace

SearchModule::SearchModule(const JobPorts& ports, PollControl& polls)
    : AccountRequestModule(ports, polls, kSearch) {}

}  // namespace s2m
