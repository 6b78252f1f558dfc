#include "model/Population.h"

#include <algorithm>
#include <stdexcept>

namespace s2m::bench {

namespace {

constexpr int64_t kPopMinuteMs = 60000;
constexpr int64_t kLatestStartMs = 22 * 60 * kPopMinuteMs;

// A type's habitual sessions before anything is drawn: start hour, minutes played.
struct Base {
    std::vector<std::pair<double, double>> weekday, weekend;
    double chance_scale = 1.0;  // how often its sessions happen, relative to the others
};

Base base_of(const std::string& type) {
    if (type == "commuter") return {{{7.5, 45}, {18, 60}}, {{10.5, 75}, {20, 90}}};
    if (type == "home office") return {{{9.5, 120}, {13.5, 45}, {16, 60}}, {{11, 60}, {19, 60}}};
    if (type == "evenings") return {{{20.5, 120}}, {{15, 60}, {21, 120}}};
    if (type == "occasional") return {{{19, 45}}, {{12, 60}}, 0.6};
    throw std::invalid_argument("unknown account type " + type);
}

}  // namespace

Persona draw_persona(const std::string& type, std::mt19937& random) {
    const Base base = base_of(type);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    auto between = [&](double low, double high) { return low + (high - low) * unit(random); };
    Persona persona;
    persona.type = type;
    persona.spread_minutes = between(10, 40);
    persona.off_habit_share = between(0.22, 0.35);
    for (int phase = 0; phase < 2; ++phase) {
        // Before the change each hour is the type's ± 1 h; after it, anywhere within ± 3 h.
        double wander = phase == 0 ? 1.0 : 3.0;
        auto draw = [&](const std::vector<std::pair<double, double>>& sessions) {
            std::vector<HabitSession> out;
            for (const auto& [hour, minutes] : sessions) {
                out.push_back(HabitSession{std::clamp(hour + between(-wander, wander), 5.0, 22.0),
                                           minutes * between(0.7, 1.3),
                                           between(0.6, 0.95) * base.chance_scale});
            }
            return out;
        };
        persona.weekday[phase] = draw(base.weekday);
        persona.weekend[phase] = draw(base.weekend);
    }
    return persona;
}

PlannedDay plan_day(const Persona& persona, int index, bool changed, std::mt19937& random) {
    const bool weekend = index % 7 >= 5;
    const auto& habits = weekend ? persona.weekend[changed] : persona.weekday[changed];
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::normal_distribution<double> wander(0.0, persona.spread_minutes);
    struct Planned {
        int64_t start, playback;
        bool off_habit;
    };
    std::vector<Planned> planned;
    double habitual_per_day = 0;
    for (const HabitSession& habit : habits) {
        habitual_per_day += habit.chance;
        if (unit(random) >= habit.chance) continue;
        auto start = static_cast<int64_t>((habit.hour * 60 + wander(random)) * kPopMinuteMs);
        auto playback =
            static_cast<int64_t>(habit.minutes * (0.7 + 0.6 * unit(random)) * kPopMinuteMs);
        planned.push_back({std::clamp<int64_t>(start, 0, kLatestStartMs), playback, false});
    }
    // Starts at random hours, as many as the account's share of them says on average.
    double share = persona.off_habit_share;
    std::poisson_distribution<int> off_habit(habitual_per_day * share / (1.0 - share));
    for (int n = off_habit(random); n > 0; --n) {
        auto start = static_cast<int64_t>(unit(random) * static_cast<double>(kLatestStartMs));
        auto playback = static_cast<int64_t>((15 + 45 * unit(random)) * kPopMinuteMs);
        planned.push_back({start, playback, true});
    }
    std::sort(planned.begin(), planned.end(),
              [](const Planned& a, const Planned& b) { return a.start < b.start; });
    // A session that would start before the last one ended (with its pauses and the 10 min
    // paused before Spotify forgets the player) does not happen.
    std::vector<Planned> kept;
    int64_t free_from = 0;
    for (const Planned& p : planned) {
        if (p.start < free_from) continue;
        kept.push_back(p);
        free_from = p.start + p.playback * 5 / 4 + 15 * kPopMinuteMs;
    }
    const uint32_t seed = random();
    for (;;) {
        DayShape shape;
        shape.session_start_spread_ms = 0;  // the spread is drawn above
        shape.sessions.clear();
        std::vector<bool> off;
        for (const Planned& p : kept) {
            shape.sessions.emplace_back(p.start, p.playback);
            off.push_back(p.off_habit);
        }
        try {
            return PlannedDay{ListeningDay(shape, seed), off, static_cast<int>(kept.size())};
        } catch (const std::invalid_argument&) {
            kept.pop_back();  // it ran past midnight
        }
    }
}

}  // namespace s2m::bench
