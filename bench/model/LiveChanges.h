// live_day_bench's changes "from a phone", made on the fake Spotify at their moment of the day,
// and how long each stayed unseen on MQTT (docs/comparison.md). The bench is sometimes a little
// late sending a change; that lateness is the bench's, not the bridge's, so it is taken off.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/DayClock.h"
#include "model/DayOnFake.h"
#include "model/Policies.h"
#include "support/FakeSpotifyClient.h"
#include "support/MqttProbe.h"

namespace s2m::bench {

struct Lateness {
    int64_t planned_ms;  // time of day the change was due
    int64_t late_ms;     // how much later (day ms) the bench actually sent it
};

// Makes every change of `plays` due from `from_ms` to `to_ms` on the fake at its time on
// `clock`, all accounts in one time order, and answers how late each went out, per account.
// Says on stderr when each hour of the day begins, to show the run is alive.
std::vector<std::vector<Lateness>> make_changes_on_time(const test::FakeSpotifyClient& fake,
                                                        const std::vector<DayOnFake>& plays,
                                                        const DayClock& clock, int64_t from_ms,
                                                        int64_t to_ms);

// What the states each account published from `from_ms` to `to_ms` showed, and when.
struct SeenOnMqtt {
    std::vector<std::vector<Seen>> seen;  // per account: its changes, the bench's lateness off
    size_t published = 0;                 // states published in that time
    size_t unmatched = 0;                 // of them, those that matched no moment of the day
    int64_t worst_late_ms = 0;            // the latest change the bench sent (day ms)
};

// `names[a]` is the bridge's account name of `plays[a]` (its topic spotify2mqtt/<name>).
SeenOnMqtt seen_on_mqtt(const test::MqttProbe& probe, const std::vector<DayOnFake>& plays,
                        const std::vector<std::string>& names, const DayClock& clock,
                        const std::vector<std::vector<Lateness>>& lateness, int64_t from_ms,
                        int64_t to_ms);

}  // namespace s2m::bench
