#include "core/Liked.h"

namespace s2m {

namespace {
const std::string* current_uri(const PlaybackState& state) {
    if (state.state == PlayerState::Idle || !state.track || state.track->uri.empty())
        return nullptr;
    return &state.track->uri;
}
}  // namespace

bool liked_read_due(const PlaybackState& shown, const std::optional<std::string>& read_for) {
    const std::string* uri = current_uri(shown);
    return uri && *uri != read_for;
}

std::optional<bool> liked_value(const PlaybackState& state, const std::optional<LikedMark>& mark) {
    const std::string* uri = current_uri(state);
    if (!uri || !mark || mark->uri != *uri) return std::nullopt;
    return mark->liked;
}

}  // namespace s2m
