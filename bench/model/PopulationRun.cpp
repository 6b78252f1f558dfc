#include "model/PopulationRun.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "model/HabitsReport.h"
#include "model/Population.h"

namespace s2m::bench {

namespace {

constexpr int64_t kPopDayMs = 24LL * 3600 * 1000;
constexpr int64_t kPopHourMs = 3600LL * 1000;
constexpr int kCsvFirstDay = 21;  // the fourth week: learned, before the habits change

// Calls per hour of one day: player reads, the other reads, one token refresh an hour.
void add_hours(const DayRun& run, std::vector<int>& hours, int first) {
    for (int64_t t : run.reads) ++hours[first + t / kPopHourMs];
    for (int64_t t : run.list_calls) ++hours[first + t / kPopHourMs];
    for (int h = 0; h < 24; ++h) ++hours[first + h];
}

void write_csv(const char* path, const std::vector<int>& ours, const std::vector<int>& ha,
               const std::string& account) {
    FILE* out = std::fopen(path, "w");
    if (!out) {
        std::fprintf(stderr, "cannot write %s\n", path);
        return;
    }
    std::fprintf(out,
                 "# calls per hour over one simulated week (days %d-%d, Monday first) of "
                 "account %s\nhour,spotify2mqtt,home_assistant\n",
                 kCsvFirstDay, kCsvFirstDay + 6, account.c_str());
    for (size_t h = 0; h < ours.size(); ++h) std::fprintf(out, "%zu,%d,%d\n", h, ours[h], ha[h]);
    std::fclose(out);
}

}  // namespace

int population_report(int days, uint32_t seed, int accounts_per_type, const PollingConfig& polling,
                      const FeaturesConfig& features, const QuietPace& pace, const char* csv) {
    std::mt19937 master(seed);
    Group overall{"overall"}, first_week{"overall, first week (days 1-7)"},
        later{"overall, after the first week"},
        after_change{"overall, week after the habit change"};
    std::map<std::string, Group> by_type;
    std::vector<int> csv_ours(168), csv_ha(168);
    std::string csv_account;
    int starts = 0, off_starts = 0;
    // Whole weeks of one account, Monday to Sunday: the budget is a daily average, so a week is
    // where it should hold.
    int weeks = 0, weeks_over = 0;
    double worst_week = 0;
    const int change_day = days / 2;
    for (const char* type : kPersonaTypes) {
        Group& group = by_type.emplace(type, Group{type}).first->second;
        for (int a = 0; a < accounts_per_type; ++a) {
            Persona persona = draw_persona(type, master);
            std::mt19937 random(master());
            PollSchedule schedule = bridge_schedule(polling, features, pace);
            double week_calls = 0;
            for (int d = 0; d < days; ++d) {
                PlannedDay planned = plan_day(persona, d, d >= change_day, random);
                for (bool off : planned.off_habit) {
                    ++starts;
                    off_starts += off;
                }
                DayRun ours =
                    run_bridge(planned.day, schedule, kFirstDayMs + d * kPopDayMs, features);
                DayRun ha = run_home_assistant(planned.day);
                week_calls += static_cast<double>(ours.total());
                if (d % 7 == 6) {
                    ++weeks;
                    weeks_over += week_calls > 7.0 * polling.daily_budget;
                    worst_week = std::max(worst_week, week_calls / 7.0);
                    week_calls = 0;
                }
                auto seen_ours = staleness(planned.day, ours);
                auto seen_ha = staleness(planned.day, ha);
                std::vector<Group*> groups = {&overall, &group, d < 7 ? &first_week : &later};
                if (d >= change_day && d < change_day + 7) groups.push_back(&after_change);
                for (Group* g : groups) {
                    g->ours.add(ours, seen_ours, planned.off_habit);
                    g->ha.add(ha, seen_ha, planned.off_habit);
                }
                // The first account of the first type, over its fourth week.
                if (type == kPersonaTypes[0] && a == 0 && d >= kCsvFirstDay &&
                    d < kCsvFirstDay + 7) {
                    csv_account = std::string(type) + " 1";
                    add_hours(ours, csv_ours, (d - kCsvFirstDay) * 24);
                    add_hours(ha, csv_ha, (d - kCsvFirstDay) * 24);
                }
            }
        }
    }
    std::printf(
        "Listening habits, simulated: %zu account types x %d accounts x %d days from seed %u "
        "(habits change on day %d); %d sessions, %.0f %% of them started at random hours.\n"
        "Bridge: polling %d s playing, paused/idle from the learned habits within %d calls a "
        "day (ceilings %d / %d s, floor %.0f s, after a pause or stop every %.0f s for %.0f s, "
        "exponent %.2f), queue reads %s, library checks %s. Home Assistant: every 30 s, at "
        "track ends, devices every 5 min.\n",
        std::size(kPersonaTypes), accounts_per_type, days, seed, change_day + 1, starts,
        starts ? 100.0 * off_starts / starts : 0.0, polling.playing_interval_s,
        polling.daily_budget, polling.paused_interval_s, polling.idle_interval_s,
        pace.floor_ms / 1000.0, pace.tail_interval_ms / 1000.0, pace.tail_ms / 1000.0,
        pace.exponent, features.queue ? "on" : "off", features.liked ? "on" : "off");
    const double budget = polling.daily_budget;
    bool met = print_group(overall, budget);
    std::printf("Weeks over 7 times the budget: %d of %d (the most in a week: %.0f a day).\n",
                weeks_over, weeks, worst_week);
    print_group(first_week, budget);
    print_group(later, budget);
    print_group(after_change, budget);
    for (const char* type : kPersonaTypes) print_group(by_type.at(type), budget);
    std::printf("\nAll three goals overall: %s\n", met ? "met" : "NOT met");
    if (csv) {
        write_csv(csv, csv_ours, csv_ha, csv_account);
        std::printf("Calls per hour of one week written to %s\n", csv);
    }
    return met ? 0 : 1;
}

}  // namespace s2m::bench
