#include "core/StateDiff.h"

#include <algorithm>
#include <cstdlib>

namespace s2m {

int64_t predicted_position_ms(const PlaybackState& state, int64_t at_ms) {
    int64_t position = state.position_ms.value_or(0);
    if (state.state == PlayerState::Playing) {
        position += std::max<int64_t>(0, at_ms - state.position_updated_at_ms);
    }
    if (state.track && state.track->duration_ms) {
        position = std::min(position, *state.track->duration_ms);
    }
    return position;
}

std::optional<int64_t> remaining_ms(const PlaybackState& state, int64_t at_ms) {
    if (state.state != PlayerState::Playing || !state.track || !state.track->duration_ms) {
        return std::nullopt;
    }
    return std::max<int64_t>(0, *state.track->duration_ms - predicted_position_ms(state, at_ms));
}

namespace {
// The device's volume is published as `volume`; comparing the device without it avoids
// announcing the same change twice.
bool same_device(const std::optional<Device>& a, const std::optional<Device>& b) {
    if (a.has_value() != b.has_value()) return false;
    if (!a) return true;
    return a->id == b->id && a->name == b->name && a->type == b->type &&
           a->supports_volume == b->supports_volume && a->is_restricted == b->is_restricted;
}
}  // namespace

bool is_news(const PlaybackState& published, const PlaybackState& fresh) {
    if (published.state != fresh.state || published.track != fresh.track ||
        published.volume != fresh.volume || published.shuffle != fresh.shuffle ||
        published.repeat != fresh.repeat || !same_device(published.device, fresh.device) ||
        published.context != fresh.context || published.premium != fresh.premium) {
        return true;
    }
    if (published.position_ms.has_value() != fresh.position_ms.has_value()) return true;
    if (!fresh.position_ms) return false;
    int64_t expected = predicted_position_ms(published, fresh.position_updated_at_ms);
    return std::llabs(expected - *fresh.position_ms) > kDriftToleranceMs;
}

}  // namespace s2m
