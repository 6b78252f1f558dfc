#include "core/CommandIntake.h"

#include <climits>
#include <functional>

namespace s2m {

bool CommandIntake::is_redelivery(const std::string& topic, const std::string& payload,
                                  bool duplicate, int64_t now_ms) {
    while (!recent_.empty() && now_ms - recent_.front().first > kMemoryMs) recent_.pop_front();
    size_t hash = std::hash<std::string>{}(topic + '\0' + payload);
    if (duplicate) {
        for (const auto& [when, seen] : recent_)
            if (seen == hash) return true;
    }
    recent_.emplace_back(now_ms, hash);
    if (recent_.size() > kMaxRemembered) recent_.pop_front();
    return false;
}

void CommandIntake::connected(int64_t now_ms) {
    connected_at_ms_ = now_ms;
    offline_for_ms_ = offline_since_ms_ < 0 ? INT64_MAX : now_ms - offline_since_ms_;
    replaying_ = true;
}

std::optional<int64_t> CommandIntake::replayed_after_offline(int64_t now_ms) const {
    bool replayed = replaying_ && now_ms - connected_at_ms_ < kReplayWindowMs;
    if (!replayed || offline_for_ms_ <= kStaleCommandMs) return std::nullopt;
    return offline_for_ms_;
}

}  // namespace s2m
