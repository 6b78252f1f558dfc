// Two rules about *when* a command arrives (docs/mqtt.md, "Order, duplicates and stale commands"),
// kept pure so they can be tested with a fake clock:
// - a QoS 1 redelivery (the broker's DUP flag) of a message handled in the last minute is
//   ignored, so next/previous/queue never run twice;
// - a command the broker kept in the persistent session while the bridge was away (it arrives
//   between a connect and the SUBACK of the bridge's subscriptions) is stale when the bridge was
//   offline for more than kStaleCommandMs, or when it does not know for how long (just started).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>

namespace s2m {

inline constexpr int64_t kStaleCommandMs = 10 * 1000;

class CommandIntake {
  public:
    // True when this is a DUP redelivery of a message seen within the last minute. Remembers
    // every message it is shown.
    bool is_redelivery(const std::string& topic, const std::string& payload, bool duplicate,
                       int64_t now_ms);

    void connection_lost(int64_t now_ms) { offline_since_ms_ = now_ms; }
    void connected(int64_t now_ms);
    void subscribed() { replaying_ = false; }

    // For a command arriving now: nullopt when it may run, else how long the bridge had been
    // offline before this connection (INT64_MAX: unknown, i.e. since the bridge started).
    std::optional<int64_t> replayed_after_offline(int64_t now_ms) const;

  private:
    static constexpr int64_t kMemoryMs = 60 * 1000;
    static constexpr size_t kMaxRemembered = 1000;
    // The SUBACK comes within milliseconds; if it never comes, stop treating messages as replays.
    static constexpr int64_t kReplayWindowMs = 3000;

    std::deque<std::pair<int64_t, size_t>> recent_;  // (when, hash of topic and payload)
    int64_t offline_since_ms_ = -1;                  // -1: since the process started
    int64_t connected_at_ms_ = 0;
    int64_t offline_for_ms_ = 0;
    bool replaying_ = false;
};

}  // namespace s2m
