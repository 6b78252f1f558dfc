#include <catch2/catch.hpp>

#include "core/StateDiff.h"

using namespace s2m;

namespace {
PlaybackState playing_at(int64_t position, int64_t at_ms, int64_t duration = 200000) {
    PlaybackState state;
    state.state = PlayerState::Playing;
    state.track = Track{"spotify:track:1", "One", {"Band"}, "LP", std::nullopt, duration, "track"};
    state.position_ms = position;
    state.position_updated_at_ms = at_ms;
    state.volume = 40;
    return state;
}
}  // namespace

TEST_CASE("the predicted position moves while playing and stops at the end", "[state_diff]") {
    auto state = playing_at(1000, 10000);
    CHECK(predicted_position_ms(state, 15000) == 6000);
    CHECK(predicted_position_ms(state, 9000) == 1000);  // never backwards
    CHECK(predicted_position_ms(state, 10000 + 500000) == 200000);
    state.state = PlayerState::Paused;
    CHECK(predicted_position_ms(state, 15000) == 1000);
    CHECK(remaining_ms(state, 15000) == std::nullopt);
    state.state = PlayerState::Playing;
    CHECK(remaining_ms(state, 15000) == 194000);
}

TEST_CASE("progress that matches the prediction is not news", "[state_diff]") {
    auto published = playing_at(1000, 10000);
    CHECK_FALSE(is_news(published, playing_at(11000, 20000)));
    CHECK_FALSE(is_news(published, playing_at(11000 + kDriftToleranceMs, 20000)));
    CHECK(is_news(published, playing_at(11000 + kDriftToleranceMs + 1, 20000)));  // seek forward
    CHECK(is_news(published, playing_at(2000, 20000)));                           // seek back
}

TEST_CASE("any other change is news", "[state_diff]") {
    auto published = playing_at(1000, 10000);
    auto fresh = playing_at(2000, 11000);
    SECTION("pause") {
        fresh.state = PlayerState::Paused;
    }
    SECTION("volume") {
        fresh.volume = 41;
    }
    SECTION("track") {
        fresh.track->uri = "spotify:track:2";
    }
    SECTION("shuffle") {
        fresh.shuffle = true;
    }
    SECTION("repeat") {
        fresh.repeat = "track";
    }
    SECTION("device") {
        fresh.device = Device{"d2", "Kitchen", "Speaker", true, false, true, 40};
    }
    SECTION("context") {
        fresh.context = PlaybackContext{"spotify:album:1", "album", std::nullopt};
    }
    SECTION("premium") {
        fresh.premium = true;
    }
    SECTION("position becomes unknown") {
        fresh.position_ms.reset();
    }
    CHECK(is_news(published, fresh));
}

TEST_CASE("the device's own volume field does not make the same change news twice",
          "[state_diff]") {
    auto published = playing_at(1000, 10000);
    published.device = Device{"d1", "Living Room", "Speaker", true, false, true, 40};
    auto fresh = playing_at(2000, 11000);
    fresh.device = Device{"d1", "Living Room", "Speaker", true, false, true, 40};
    fresh.device->is_active = true;
    CHECK_FALSE(is_news(published, fresh));
}
