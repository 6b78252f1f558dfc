// bridge/request/search (docs/mqtt.md#search): searches Spotify's catalogue with one account and
// answers on bridge/response/search. The queue, the lane (search/<account>) and the token's
// renewal are the AccountRequestModule's; the search itself is a SearchJob.
//
// Thread rule: loop thread only; the SearchJob runs on a worker and posts its outcome back.
#pragma once

#include "app/modules/AccountRequestModule.h"
#include "core/Search.h"

namespace s2m {

class SearchModule : public AccountRequestModule<SearchRequest> {
  public:
    SearchModule(const JobPorts& ports, PollControl& polls);
};

}  // namespace s2m
