// The API calls the bridge made during live_day_bench, read from the fake Spotify's request log
// and placed on the simulated day's clock, and what they add up to: calls by kind over a part of
// the day, and calls per hour spent in each player state (docs/comparison.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/DayClock.h"
#include "model/ListeningDay.h"
#include "model/Policies.h"
#include "support/FakeSpotifyClient.h"

namespace s2m::bench {

// API calls from the fake's request log, per account, with the time of day they arrived.
struct CallLog {
    struct Call {
        int64_t at_ms;
        std::string kind;  // player, devices, playlists, queue, liked, recent, top, token, other
    };
    std::map<std::string, std::vector<Call>> by_user;
    int64_t seq = 0;  // the last log entry read

    static std::string kind_of(const nlohmann::json& entry);
    // Reads the entries logged since the last drain.
    void drain(const test::FakeSpotifyClient& fake, const DayClock& clock);
};

// Drains a CallLog every 2 s on a thread of its own while the day plays: the fake keeps only its
// last 20000 requests (tests/fakes/fake_spotify/Faults.h), fewer than a day of several accounts
// makes.
class CallLogDrainer {
  public:
    CallLogDrainer(CallLog& log, const test::FakeSpotifyClient& fake, const DayClock& clock);
    ~CallLogDrainer();
    CallLogDrainer(const CallLogDrainer&) = delete;
    CallLogDrainer& operator=(const CallLogDrainer&) = delete;

    // Stops the thread, then drains what came in since its last drain.
    void stop();

  private:
    CallLog& log_;
    const test::FakeSpotifyClient& fake_;
    const DayClock& clock_;
    std::atomic<bool> day_over_{false};
    std::thread thread_;
};

// The calls that arrived from `from_ms` to `to_ms`, counted by kind.
DayRun calls_in_day(const std::vector<CallLog::Call>& calls, int64_t from_ms, int64_t to_ms);

// Calls per hour spent in each player state, live: every call counts for the state the account
// was in when it arrived.
struct StateHours {
    std::map<PlayerState, double> calls, hours;
    void add(const ListeningDay& day, const std::vector<CallLog::Call>& calls_of_day);
    double per_hour(PlayerState state) const;
};

}  // namespace s2m::bench
