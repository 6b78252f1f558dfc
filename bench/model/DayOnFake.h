// A ListeningDay (ListeningDay.h) played on the fake Spotify for live_day_bench: the user to
// create, the changes to make "from a phone" and when, and which moment of the day a state the
// bridge published on MQTT shows.
//
// Tracks are numbered in the order the day plays them, and the user's one playlist lists them in
// that order, so the fake's own clock ends each track and starts the next exactly as the day
// does: only skips, pauses, resumes, device and volume changes and the player going idle are
// made from outside.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/ListeningDay.h"

namespace s2m::bench {

struct PhoneAction {
    int64_t at_ms;               // time of day
    size_t change;               // index into day.changes()
    nlohmann::json change_json;  // for POST /_control/users/{id}/playback
};

class DayOnFake {
  public:
    DayOnFake(const ListeningDay& day, std::string user_id);

    const std::string& user_id() const { return user_id_; }
    const ListeningDay& day() const { return day_; }
    // POST /_control/users: the day's tracks and playlist, three devices, idle at midnight.
    nlohmann::json user_spec() const;
    // Every change of the day except natural track ends, in time order.
    std::vector<PhoneAction> actions() const;
    // The segment an account state published at `at_ms` shows: the latest one starting no later
    // than just after `at_ms` whose state, track, device and volume it has; nullopt when none of
    // the last few has them (a state the day never had).
    std::optional<size_t> segment_shown(const nlohmann::json& state, int64_t at_ms) const;

  private:
    std::string track_uri(int track_number) const;
    std::string playlist_id() const;
    nlohmann::json playback_of(const Segment& segment) const;
    bool shows(const nlohmann::json& state, const Segment& segment) const;

    const ListeningDay& day_;
    std::string user_id_;
};

}  // namespace s2m::bench
