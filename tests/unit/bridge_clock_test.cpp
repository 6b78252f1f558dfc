#include <catch2/catch.hpp>

#include <thread>

#include "app/BridgeClock.h"

using namespace s2m;
using namespace std::chrono_literals;

TEST_CASE("the bench time scale accepts 1 to 1000 and explains anything else", "[clock]") {
    CHECK(parse_time_scale(nullptr).scale == 1.0);
    CHECK_FALSE(parse_time_scale(nullptr).error);
    CHECK(parse_time_scale("60").scale == 60.0);
    CHECK(parse_time_scale("2.5").scale == 2.5);
    CHECK(parse_time_scale("1000").scale == 1000.0);
    for (const char* bad : {"", "0", "0.5", "-3", "1001", "fast", "60x", "nan", "inf", "1e999"}) {
        INFO(bad);
        auto setting = parse_time_scale(bad);
        REQUIRE(setting.error);
        CHECK(setting.error->find("SPOTIFY2MQTT_BENCH_TIME_SCALE") != std::string::npos);
        CHECK(setting.error->find("from 1 to 1000") != std::string::npos);
    }
}

TEST_CASE("a scaled clock shortens timers and runs Unix time faster", "[clock]") {
    REQUIRE(time_scale() == 1.0);
    CHECK(real_duration(1500ms) == 1500ms);

    set_time_scale(100);
    CHECK(real_duration(1000ms) == 10ms);
    CHECK(real_duration(5ms) == 50us);
    const RealClock clock;  // what the daemon gives the bridge (ports/Clock.h)
    int64_t before = unix_now_ms();
    int64_t before_port = clock.now_ms();
    std::this_thread::sleep_for(20ms);  // at least 20 ms: at least 2 s on the bridge's clock
    CHECK(unix_now_ms() - before >= 2000);
    CHECK(clock.now_ms() - before_port >= 2000);

    set_time_scale(1);  // the rest of the process runs in real time again
    CHECK(real_duration(1000ms) == 1000ms);
    auto real = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    CHECK(std::abs(unix_now_ms() - real) < 1000);
}
