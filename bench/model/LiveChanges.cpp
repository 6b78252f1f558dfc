#include "model/LiveChanges.h"

#include <algorithm>
#include <cstdio>
#include <thread>

namespace s2m::bench {

std::vector<std::vector<Lateness>> make_changes_on_time(const test::FakeSpotifyClient& fake,
                                                        const std::vector<DayOnFake>& plays,
                                                        const DayClock& clock, int64_t from_ms,
                                                        int64_t to_ms) {
    struct Due {
        PhoneAction action;
        size_t account;
    };
    std::vector<Due> due;
    for (size_t a = 0; a < plays.size(); ++a) {
        for (const PhoneAction& action : plays[a].actions())
            if (action.at_ms >= from_ms && action.at_ms < to_ms) due.push_back(Due{action, a});
    }
    std::stable_sort(due.begin(), due.end(),
                     [](const Due& x, const Due& y) { return x.action.at_ms < y.action.at_ms; });
    std::vector<std::vector<Lateness>> lateness(plays.size());
    int64_t next_report_h = from_ms / 3600000 + 1;
    for (const Due& d : due) {
        std::this_thread::sleep_until(clock.real(d.action.at_ms));
        int64_t sent = clock.day_ms(DayClock::Clock::now());
        fake.set_playback(plays[d.account].user_id(), d.action.change_json);
        lateness[d.account].push_back(
            Lateness{d.action.at_ms, std::max<int64_t>(0, sent - d.action.at_ms)});
        if (d.action.at_ms >= next_report_h * 3600000) {
            next_report_h = d.action.at_ms / 3600000 + 1;
            std::fprintf(stderr, "live_day_bench: %02lld:00 of the day\n",
                         static_cast<long long>(d.action.at_ms / 3600000));
        }
    }
    return lateness;
}

SeenOnMqtt seen_on_mqtt(const test::MqttProbe& probe, const std::vector<DayOnFake>& plays,
                        const std::vector<std::string>& names, const DayClock& clock,
                        const std::vector<std::vector<Lateness>>& lateness, int64_t from_ms,
                        int64_t to_ms) {
    SeenOnMqtt result;
    result.seen.resize(plays.size());
    for (size_t a = 0; a < plays.size(); ++a) {
        const ListeningDay& day = plays[a].day();
        std::vector<Observation> shown;
        for (const auto& message : probe.messages("spotify2mqtt/" + names[a])) {
            int64_t at = clock.day_ms(message.received_at);
            if (at < from_ms || at >= to_ms) continue;
            ++result.published;
            if (auto segment = plays[a].segment_shown(message.json(), at)) {
                shown.push_back(Observation{at, *segment});
            } else {
                ++result.unmatched;
            }
        }
        // A change counts from the moment it really reached the fake: the bench's own
        // lateness is taken off (a natural track end moves with the change before it).
        std::vector<Seen>& seen = result.seen[a];
        seen = staleness(day, shown);
        const auto& late = lateness[a];
        for (Seen& s : seen) {
            auto before =
                std::upper_bound(late.begin(), late.end(), s.at_ms,
                                 [](int64_t at, const Lateness& l) { return at < l.planned_ms; });
            if (before != late.begin()) s.staleness_ms -= std::prev(before)->late_ms;
            s.staleness_ms = std::max<int64_t>(0, s.staleness_ms);
        }
        for (const auto& l : late) result.worst_late_ms = std::max(result.worst_late_ms, l.late_ms);
    }
    return result;
}

}  // namespace s2m::bench
