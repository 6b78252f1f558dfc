#include "core/UpNext.h"

namespace s2m {

nlohmann::json item_json(const Track& item) {
    return {{"uri", item.uri},
            {"name", item.name},
            {"artists", item.artists},
            {"album", item.album},
            {"duration_ms",
             item.duration_ms ? nlohmann::json(*item.duration_ms) : nlohmann::json(nullptr)},
            {"type", item.type}};
}

nlohmann::json queue_payload(const std::vector<Track>& next) {
    nlohmann::json items = nlohmann::json::array();
    for (size_t i = 0; i < next.size() && i < kUpNextItems; ++i)
        items.push_back(item_json(next[i]));
    return {{"next", std::move(items)}};
}

bool queue_read_due(const PlaybackState& shown, const std::optional<std::string>& read_for) {
    if (shown.state != PlayerState::Playing || !shown.track || shown.track->uri.empty())
        return false;
    return shown.track->uri != read_for;
}

}  // namespace s2m
