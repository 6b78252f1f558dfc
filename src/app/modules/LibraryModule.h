// bridge/request/library (docs/mqtt.md#library): one page of what an account saved (tracks,
// albums, shows, episodes, audiobooks) or of the artists it follows, answered on
// bridge/response/library. A read the account's link does not allow (its scope) is answered at
// once; the queue, the lane (library/<account>) and the token's renewal are the
// AccountRequestModule's; the read itself is a LibraryJob.
//
// Thread rule: loop thread only; the LibraryJob runs on a worker and posts its outcome back.
#pragma once

#include "app/modules/AccountRequestModule.h"
#include "core/Library.h"

namespace s2m {

class LibraryModule : public AccountRequestModule<LibraryRequest> {
  public:
    LibraryModule(const JobPorts& ports, PollControl& polls);
};

}  // namespace s2m
