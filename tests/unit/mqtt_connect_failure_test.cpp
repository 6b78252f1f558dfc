// The sentence the log gets when the broker cannot be reached or refuses the bridge.
#include <catch2/catch.hpp>

#include "adapters/mqtt/PahoMqtt.h"

TEST_CASE("connect failures say what to check", "[mqtt]") {
    using s2m::PahoMqtt;
    s2m::MqttConfig plain;
    plain.url = "mqtt://broker.lan:1883";
    s2m::MqttConfig tls = plain;
    tls.url = "mqtts://broker.lan:8883";
    tls.username = "bridge";
    tls.password = "secret-pw";

    CHECK_THAT(PahoMqtt::describe_connect_failure(-1, "TCP/TLS connect failure", plain),
               Catch::Contains("is the broker running") && !Catch::Contains("certificate"));
    CHECK_THAT(PahoMqtt::describe_connect_failure(-1, "TCP/TLS connect failure", tls),
               Catch::Contains("mqtt.ca_file") && Catch::Contains("name the host"));
    CHECK_THAT(PahoMqtt::describe_connect_failure(4, "CONNACK return code", tls),
               Catch::Contains("refused the username or password"));
    CHECK_THAT(PahoMqtt::describe_connect_failure(5, "CONNACK return code", tls),
               Catch::Contains("check mqtt.username and mqtt.password"));
    CHECK_THAT(PahoMqtt::describe_connect_failure(5, "CONNACK return code", plain),
               Catch::Contains("it wants a username and password"));
    CHECK_THAT(PahoMqtt::describe_connect_failure(2, "CONNACK return code", plain),
               Catch::Contains("`spotify2mqtt`"));
    CHECK(PahoMqtt::describe_connect_failure(-6, "Bad structure", plain) ==
          "Bad structure (Paho code -6)");
    for (int code : {-1, 1, 2, 3, 4, 5, -6}) {
        CHECK_THAT(PahoMqtt::describe_connect_failure(code, "x", tls),
                   !Catch::Contains("secret-pw"));
    }
}
