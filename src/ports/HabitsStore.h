// Port: what the bridge learned of when each account listens (core/ListeningHabits.h), kept
// across restarts. adapters/store/FileHabitsStore keeps it in files. Account names are already
// checked ([a-z0-9_-]{1,32}).
#pragma once

#include <optional>
#include <string>

#include "core/ListeningHabits.h"
#include "core/Result.h"

namespace s2m {

class HabitsStore {
  public:
    virtual ~HabitsStore() = default;
    // nullopt when nothing was kept, or when what was kept cannot be read: then it is dropped
    // (said in the log) and the account learns afresh.
    virtual std::optional<ListeningHabits> load(const std::string& account) = 0;
    virtual Status save(const std::string& account, const ListeningHabits& habits) = 0;
    // An unlinked account: forget its habits.
    virtual void forget(const std::string& account) = 0;
};

}  // namespace s2m
