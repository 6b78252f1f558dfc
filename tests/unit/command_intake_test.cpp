// When a command arrives: redeliveries and commands replayed from the persistent session.
#include <catch2/catch.hpp>

#include <climits>

#include "core/CommandIntake.h"

using namespace s2m;

TEST_CASE("a DUP redelivery of a recent message is recognised, a repeat by a person is not",
          "[command_intake]") {
    CommandIntake intake;
    CHECK_FALSE(intake.is_redelivery("b/a/set", R"({"command":"next"})", false, 1000));
    // The same command again without DUP: someone pressed next twice.
    CHECK_FALSE(intake.is_redelivery("b/a/set", R"({"command":"next"})", false, 2000));
    // The broker's redelivery of it.
    CHECK(intake.is_redelivery("b/a/set", R"({"command":"next"})", true, 3000));
    // DUP but never seen (the first delivery was lost): carried out.
    CHECK_FALSE(intake.is_redelivery("b/a/set", R"({"command":"previous"})", true, 4000));
    CHECK_FALSE(intake.is_redelivery("b/other/set", R"({"command":"next"})", true, 5000));
    // A minute later it is no longer remembered.
    CHECK_FALSE(intake.is_redelivery("b/a/set", R"({"command":"next"})", true, 2000 + 61000));
}

TEST_CASE("replayed commands are stale after more than 10 s offline or a restart",
          "[command_intake]") {
    CommandIntake intake;
    intake.connected(1000);  // first connect of this process: offline time unknown
    CHECK(intake.replayed_after_offline(1005) == INT64_MAX);
    intake.subscribed();
    CHECK_FALSE(intake.replayed_after_offline(1010));  // live from now on

    intake.connection_lost(50000);
    intake.connected(55000);  // 5 s away: replays are fresh enough
    CHECK_FALSE(intake.replayed_after_offline(55001));
    intake.subscribed();

    intake.connection_lost(100000);
    intake.connected(130000);  // 30 s away
    CHECK(intake.replayed_after_offline(130002) == 30000);
    // A SUBACK that never comes does not make every later command stale.
    CHECK_FALSE(intake.replayed_after_offline(134000));
}
