#include "core/Listening.h"

#include "core/UpNext.h"

namespace s2m {

nlohmann::json recent_payload(const std::vector<PlayedItem>& played) {
    nlohmann::json list = nlohmann::json::array();
    for (size_t i = 0; i < played.size() && i < kRecentItems; ++i)
        list.push_back({{"played_at", played[i].played_at}, {"item", item_json(played[i].item)}});
    return list;
}

nlohmann::json top_payload(const TopItems& top) {
    nlohmann::json tracks = nlohmann::json::array();
    for (size_t i = 0; i < top.tracks.size() && i < kTopItems; ++i)
        tracks.push_back(item_json(top.tracks[i]));
    nlohmann::json artists = nlohmann::json::array();
    for (size_t i = 0; i < top.artists.size() && i < kTopItems; ++i)
        artists.push_back({{"uri", top.artists[i].uri}, {"name", top.artists[i].name}});
    return {{"time_range", kTopTimeRange},
            {"tracks", std::move(tracks)},
            {"artists", std::move(artists)}};
}

namespace {
std::optional<std::string> item_of(const PlaybackState& shown) {
    if (shown.state == PlayerState::Idle || !shown.track || shown.track->uri.empty())
        return std::nullopt;
    return shown.track->uri;
}
}  // namespace

void RecentReads::saw(const PlaybackState& shown) {
    std::optional<std::string> item = item_of(shown);
    // An item that gave way to another (or to nothing) may have been added to the history.
    if (item != item_) news_ = true;
    item_ = std::move(item);
}

bool RecentReads::due(const PlaybackState& shown, int64_t now_ms) const {
    if (shown.state != PlayerState::Playing || !news_) return false;
    return !read_at_ms_ || now_ms - *read_at_ms_ >= kRecentReadGapMs;
}

std::optional<int64_t> RecentReads::wait_ms(const PlaybackState& shown, int64_t now_ms) const {
    if (shown.state != PlayerState::Playing || !news_ || !read_at_ms_) return std::nullopt;
    int64_t left = *read_at_ms_ + kRecentReadGapMs - now_ms;
    if (left <= 0) return std::nullopt;
    return left;
}

void RecentReads::read(int64_t now_ms) {
    read_at_ms_ = now_ms;
    news_ = false;
}

bool TopReads::due(bool online, int64_t now_ms) const {
    if (!online) return false;
    if (!read_at_ms) return true;
    return now_ms - *read_at_ms >= (failed ? kTopRetryMs : kTopReadGapMs);
}

std::optional<int64_t> TopReads::wait_ms(int64_t now_ms) const {
    if (!read_at_ms) return std::nullopt;
    int64_t left = *read_at_ms + (failed ? kTopRetryMs : kTopReadGapMs) - now_ms;
    if (left <= 0) return std::nullopt;
    return left;
}

}  // namespace s2m
