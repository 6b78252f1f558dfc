// Which address `spotify2mqtt healthcheck` asks for a given web.listen.
#include <catch2/catch.hpp>

#include "programs/HealthCheckCommand.h"

TEST_CASE("healthcheck asks /healthz on the listen address, wildcards on loopback",
          "[healthcheck]") {
    using s2m::healthz_url;
    CHECK(healthz_url("127.0.0.1:8888") == "http://127.0.0.1:8888/healthz");
    CHECK(healthz_url("192.168.1.5:9000") == "http://192.168.1.5:9000/healthz");
    CHECK(healthz_url("0.0.0.0:8888") == "http://127.0.0.1:8888/healthz");
    CHECK(healthz_url("[::]:8888") == "http://[::1]:8888/healthz");
    CHECK(healthz_url("[::1]:7000") == "http://[::1]:7000/healthz");
    CHECK(healthz_url("[fd00::5]:7000") == "http://[fd00::5]:7000/healthz");
    CHECK_FALSE(healthz_url(std::nullopt));
}
