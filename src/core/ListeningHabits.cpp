#include "core/ListeningHabits.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace s2m {

namespace {

constexpr int64_t kHabitHourMs = 3600 * 1000;
constexpr double kHalfLifeMs = kHalfLifeDays * 24 * kHabitHourMs;
// The Unix epoch fell on a Thursday: 3 days after a Monday 00:00.
constexpr int64_t kEpochHourOfWeek = 3 * 24;
// How much each level of the model borrows from the one above (in watched quiet hours): an
// hour watched this long counts as much as what it borrows.
constexpr double kDayKindWeightHours = 3.0;
constexpr double kWeekHourWeightHours = 2.0;
// Before anything is known: about three starts a day, spread over the waking day.
constexpr double kPriorStartsPerQuietHour = 3.0 / 20.0;
constexpr double kPriorWeightHours = 24.0;
// A file holding more than this in any hour was not written by this code.
constexpr double kMaxStoredValue = 1e6;

// A start at 7:55 is a habit at 8:05 as well: each hour keeps half, the neighbours a quarter.
WeekHours spread(const WeekHours& values) {
    WeekHours out{};
    for (int w = 0; w < kHoursPerWeek; ++w) {
        out[w] = 0.5 * values[w] + 0.25 * values[(w + kHoursPerWeek - 1) % kHoursPerWeek] +
                 0.25 * values[(w + 1) % kHoursPerWeek];
    }
    return out;
}

bool weekend(int w) {
    return w >= 5 * 24;
}

}  // namespace

int hour_of_week(int64_t at_ms) {
    int64_t hours = at_ms >= 0 ? at_ms / kHabitHourMs : (at_ms - kHabitHourMs + 1) / kHabitHourMs;
    return static_cast<int>(((hours + kEpochHourOfWeek) % kHoursPerWeek + kHoursPerWeek) %
                            kHoursPerWeek);
}

void ListeningHabits::decay_to(int64_t at_ms) {
    if (decayed_at_ms_ < 0 || at_ms <= decayed_at_ms_) {
        decayed_at_ms_ = std::max(decayed_at_ms_, at_ms);
        return;
    }
    double factor = std::pow(0.5, static_cast<double>(at_ms - decayed_at_ms_) / kHalfLifeMs);
    for (WeekHours* values : {&starts_, &quiet_hours_, &watched_hours_, &paced_hours_})
        for (double& v : *values) v *= factor;
    spent_calls_ *= factor;
    paced_calls_ *= factor;
    decayed_at_ms_ = at_ms;
}

void ListeningHabits::watched(int64_t from_ms, int64_t to_ms, bool quiet, bool paced) {
    if (to_ms <= from_ms) return;
    from_ms = std::max(from_ms, to_ms - kHabitHourMs);
    decay_to(to_ms);
    // Split at hour boundaries: a span from 7:50 to 8:10 is watched in both hours.
    for (int64_t at = from_ms; at < to_ms;) {
        int64_t hour_end = (at / kHabitHourMs + 1) * kHabitHourMs;
        int64_t until = std::min(hour_end, to_ms);
        double hours = static_cast<double>(until - at) / kHabitHourMs;
        int w = hour_of_week(at);
        watched_hours_[w] += hours;
        if (quiet) quiet_hours_[w] += hours;
        if (paced) paced_hours_[w] += hours;
        at = until;
    }
}

void ListeningHabits::started(int64_t at_ms) {
    decay_to(at_ms);
    starts_[hour_of_week(at_ms)] += 1.0;
    ++starts_revision_;
}

void ListeningHabits::spent(double calls, int64_t at_ms) {
    decay_to(at_ms);
    spent_calls_ += calls;
}

void ListeningHabits::paced_read(int64_t at_ms) {
    decay_to(at_ms);
    paced_calls_ += 1;
}

double ListeningHabits::paced_per_day() const {
    double days = hours_watched() / 24.0;
    return days < 1.0 ? 0.0 : paced_calls_ / days;
}

WeekHours ListeningHabits::start_rates() const {
    const WeekHours starts = spread(starts_);
    const WeekHours quiet = spread(quiet_hours_);
    double all_starts = std::accumulate(starts.begin(), starts.end(), 0.0);
    double all_quiet = std::accumulate(quiet.begin(), quiet.end(), 0.0);
    double overall = (all_starts + kPriorStartsPerQuietHour * kPriorWeightHours) /
                     (all_quiet + kPriorWeightHours);
    // Per hour of the day: over every day, and over the days of the same kind.
    std::array<double, 24> day_starts{}, day_quiet{};
    std::array<std::array<double, 24>, 2> kind_starts{}, kind_quiet{};
    for (int w = 0; w < kHoursPerWeek; ++w) {
        day_starts[w % 24] += starts[w];
        day_quiet[w % 24] += quiet[w];
        kind_starts[weekend(w)][w % 24] += starts[w];
        kind_quiet[weekend(w)][w % 24] += quiet[w];
    }
    WeekHours rates{};
    for (int w = 0; w < kHoursPerWeek; ++w) {
        int h = w % 24;
        double every_day =
            (day_starts[h] + kDayKindWeightHours * overall) / (day_quiet[h] + kDayKindWeightHours);
        double same_kind = (kind_starts[weekend(w)][h] + kDayKindWeightHours * every_day) /
                           (kind_quiet[weekend(w)][h] + kDayKindWeightHours);
        rates[w] =
            (starts[w] + kWeekHourWeightHours * same_kind) / (quiet[w] + kWeekHourWeightHours);
    }
    return rates;
}

WeekHours ListeningHabits::paced_shares() const {
    WeekHours shares{};
    for (int w = 0; w < kHoursPerWeek; ++w)
        shares[w] = (paced_hours_[w] + 0.5) / (watched_hours_[w] + 0.5);
    return shares;
}

double ListeningHabits::spent_per_day(double prior) const {
    constexpr double kPriorDays = 0.25;
    double days = hours_watched() / 24.0;
    return (spent_calls_ + kPriorDays * prior) / (days + kPriorDays);
}

double ListeningHabits::starts_seen() const {
    return std::accumulate(starts_.begin(), starts_.end(), 0.0);
}

double ListeningHabits::hours_watched() const {
    return std::accumulate(watched_hours_.begin(), watched_hours_.end(), 0.0);
}

void ListeningHabits::move_to_local_hours(int hours) {
    const int shift = ((hours % kHoursPerWeek) + kHoursPerWeek) % kHoursPerWeek;
    for (WeekHours* values : {&starts_, &quiet_hours_, &watched_hours_, &paced_hours_})
        std::rotate(values->rbegin(), values->rbegin() + shift, values->rend());
    kept_in_utc_ = false;
    ++starts_revision_;  // what was planned from the UTC hours is planned again
}

nlohmann::json ListeningHabits::to_json() const {
    // Rounded: the file stays small and readable, and nothing depends on the last digits.
    auto rounded = [](const WeekHours& values) {
        nlohmann::json out = nlohmann::json::array();
        for (double v : values) out.push_back(std::round(v * 1000.0) / 1000.0);
        return out;
    };
    // Version 2: the hours are local (version 1 counted UTC hours).
    return nlohmann::json{{"version", 2},
                          {"decayed_at_ms", decayed_at_ms_},
                          {"starts", rounded(starts_)},
                          {"quiet_hours", rounded(quiet_hours_)},
                          {"watched_hours", rounded(watched_hours_)},
                          {"paced_hours", rounded(paced_hours_)},
                          {"spent_calls", std::round(spent_calls_)},
                          {"paced_calls", std::round(paced_calls_)}};
}

Result<ListeningHabits> ListeningHabits::from_json(const nlohmann::json& json) {
    auto bad = [](const std::string& what) {
        return Error{ErrorKind::BadResponse, "listening habits: " + what};
    };
    if (!json.is_object()) return bad("not an object");
    const auto found = json.find("version");
    const int64_t version =
        found != json.end() && found->is_number_integer() ? found->get<int64_t>() : 0;
    if (version != 1 && version != 2) return bad("not version 1 or 2");
    ListeningHabits habits;
    habits.kept_in_utc_ = version == 1;
    auto number = [](const nlohmann::json& v) {
        return v.is_number() && std::isfinite(v.get<double>()) && v.get<double>() >= 0 &&
               v.get<double>() <= kMaxStoredValue;
    };
    const auto at = json.find("decayed_at_ms");
    if (at == json.end() || !at->is_number_integer() || at->get<int64_t>() < -1)
        return bad("no decayed_at_ms");
    habits.decayed_at_ms_ = at->get<int64_t>();
    for (auto [key, target] :
         {std::pair{"starts", &habits.starts_}, std::pair{"quiet_hours", &habits.quiet_hours_},
          std::pair{"watched_hours", &habits.watched_hours_},
          std::pair{"paced_hours", &habits.paced_hours_}}) {
        const auto values = json.find(key);
        if (values == json.end() || !values->is_array() || values->size() != kHoursPerWeek)
            return bad(std::string(key) + " is not a list of 168 numbers");
        for (int w = 0; w < kHoursPerWeek; ++w) {
            if (!number((*values)[w])) return bad(std::string(key) + " holds a bad number");
            (*target)[w] = (*values)[w].get<double>();
        }
    }
    const auto spent = json.find("spent_calls");
    if (spent == json.end() || !number(*spent) || spent->get<double>() > kMaxStoredValue)
        return bad("no spent_calls");
    habits.spent_calls_ = spent->get<double>();
    const auto paced = json.find("paced_calls");
    if (paced == json.end() || !number(*paced)) return bad("no paced_calls");
    habits.paced_calls_ = paced->get<double>();
    return habits;
}

}  // namespace s2m
