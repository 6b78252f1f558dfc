#include "model/LiveSliceSetup.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace s2m::bench {

SliceBounds choose_slice(const std::vector<LiveAccount>& accounts, double from_h, double hours,
                         int64_t day_ms) {
    SliceBounds slice;
    slice.from_ms = all_idle_from(accounts, static_cast<int64_t>(from_h * 3.6e6), day_ms - 3600000);
    if (slice.from_ms < 0)
        throw std::runtime_error(
            "no moment of the day from the given hour with every "
            "account idle: try another --from or fewer --accounts");
    slice.to_ms = std::min<int64_t>(day_ms, slice.from_ms + static_cast<int64_t>(hours * 3.6e6));
    return slice;
}

int64_t live_day_midnight(int64_t launch_unix_ms, std::chrono::duration<double, std::milli> lead,
                          double speed, int64_t from_ms) {
    return launch_unix_ms + static_cast<int64_t>(lead.count() * speed) - from_ms;
}

std::vector<ListeningHabits> write_learned_habits(const std::vector<LiveAccount>& accounts,
                                                  int64_t day_start_ms, int playing_s,
                                                  const test::TempDir& state_dir) {
    PollingConfig polling;
    polling.playing_interval_s = playing_s;
    std::filesystem::create_directories(state_dir.path() / "habits");
    std::filesystem::permissions(state_dir.path() / "habits", std::filesystem::perms::owner_all);
    std::vector<ListeningHabits> habits;
    for (const LiveAccount& account : accounts) {
        ListeningHabits learned =
            learned_habits(account, day_start_ms, polling, FeaturesConfig{}, QuietPace{});
        nlohmann::json kept = learned.to_json();
        auto read_back = ListeningHabits::from_json(kept);
        if (!read_back) throw std::runtime_error("habits: " + read_back.error().message);
        habits.push_back(read_back.value());  // what the bridge reads, to the bit
        state_dir.write_file("habits/" + account.name + ".json", kept.dump() + "\n");
    }
    return habits;
}

}  // namespace s2m::bench
