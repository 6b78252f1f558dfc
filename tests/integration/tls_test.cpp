// MQTT over TLS (mqtts://) against a mosquitto whose certificate comes from a private test CA,
// with a password: what works, and what must be refused (an untrusted CA, a certificate for
// another host, a wrong password) without the bridge giving up or leaking the password.
#include <catch2/catch.hpp>

#include <string>
#include <thread>

#include "BridgeWorld.h"
#include "support/TestCa.h"
#include "support/Wait.h"

using namespace s2m::test;

namespace {

constexpr const char* kUser = "bridge";
constexpr const char* kPassword = "tls-test-pw-4711";

struct TlsMaterial {
    TempDir dir{"s2m-tls"};
    TestCa ca{dir.path(), "s2m-test-ca"};
    TestCa other_ca{dir.path(), "someone-elses-ca"};
    std::filesystem::path passwords =
        write_mosquitto_password_file(dir / "passwords", kUser, kPassword);

    MosquittoOptions broker(const std::string& subject_alt_names) const {
        CertificatePair server = ca.issue("broker", subject_alt_names);
        return MosquittoOptions{.tls = MosquittoOptions::Tls{server.cert, server.key, passwords}};
    }
};

Json tls_config(const std::filesystem::path& ca_file, const std::string& password) {
    return {{"mqtt", {{"ca_file", ca_file.string()}, {"username", kUser}, {"password", password}}}};
}

BridgeOptions bridge_on(BridgeWorld& world, Json mqtt_overrides) {
    BridgeOptions options;
    options.mqtt_url = world.broker.tls_url();
    options.api_url = world.fake.api_url();
    options.accounts_url = world.fake.accounts_url();
    options.config_overrides = BridgeWorld::accounts({"tess"});
    options.config_overrides.merge_patch(mqtt_overrides);
    return options;
}

}  // namespace

TEST_CASE("mqtts with a private CA and a password: the bridge publishes and takes commands",
          "[tls]") {
    TlsMaterial tls;
    BridgeWorld world(tls.broker("IP:127.0.0.1,DNS:localhost"));
    world.fake.create_user(short_playlist_user("tess", 120000));
    BridgeUnderTest bridge(bridge_on(world, tls_config(tls.ca.cert(), kPassword)));
    INFO(bridge.log());
    INFO(world.broker.log());
    // The probe listens on the broker's plain port and sees what the bridge sent over TLS.
    REQUIRE(world.probe.wait_for_json(
        "spotify2mqtt/bridge/state", [](const Json& s) { return s["state"] == "online"; }, 15s));
    REQUIRE(world.wait_state("tess", [](const Json& s) { return s["state"] == "playing"; }));
    world.probe.publish("spotify2mqtt/tess/set", R"({"volume": 23, "transaction": "t1"})", 1);
    CHECK(world.probe.wait_for_json(
        "spotify2mqtt/tess/response",
        [](const Json& r) { return r["transaction"] == "t1" && r["status"] == "ok"; }, 10s));
    CHECK(world.wait_state("tess", [](const Json& s) { return s["volume"] == 23; }));
    // mosquitto logs the user of each connection and the port it came in on.
    CHECK_THAT(world.broker.log(), Catch::Contains("u'bridge'"));
    CHECK_THAT(bridge.log(), !Catch::Contains(kPassword));
}

TEST_CASE("mqtts refuses an untrusted CA, a certificate for another host and a wrong password",
          "[tls]") {
    TlsMaterial tls;
    struct Case {
        const char* what;
        std::string subject_alt_names;
        std::filesystem::path ca_file;
        std::string password;
        const char* logged;  // what the bridge's warning says
    };
    const Case cases[] = {
        {"a certificate from a CA it was not told to trust", "IP:127.0.0.1", tls.other_ca.cert(),
         kPassword, "its certificate was refused"},
        {"a certificate for another host name", "DNS:broker.example.net", tls.ca.cert(), kPassword,
         "its certificate was refused"},
        {"a wrong password", "IP:127.0.0.1", tls.ca.cert(), "not-the-password",
         "not authorised (CONNACK 5): check mqtt.username and mqtt.password"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        BridgeWorld world(tls.broker(c.subject_alt_names));
        world.fake.create_user(short_playlist_user("tess", 120000));
        BridgeUnderTest bridge(bridge_on(world, tls_config(c.ca_file, c.password)));
        // Two connection attempts (the retry comes after 1 s) and still nothing on the broker.
        std::string log;
        eventually(
            [&] {
                log = bridge.log();
                return log.find("attempt 2 failed") != std::string::npos;
            },
            10s, 100ms);
        INFO(log);
        INFO(world.broker.log());
        CHECK_THAT(log, Catch::Contains("MQTT: cannot connect to " + world.broker.tls_url()));
        CHECK_THAT(log, Catch::Contains(c.logged));
        CHECK(world.probe.messages("spotify2mqtt/bridge/state").empty());
        CHECK(bridge.process().running());  // it keeps trying, as for a broker that is down
        CHECK_THAT(log, !Catch::Contains(kPassword));
        CHECK_THAT(log, !Catch::Contains("not-the-password"));
    }
}

namespace {

// The fake Spotify behind HTTPS with a certificate from the test CA, as api.spotify.com and
// accounts.spotify.com are behind certificates from public CAs.
struct HttpsSpotifyWorld {
    TlsMaterial tls;
    CertificatePair certificate = tls.ca.issue("spotify", "IP:127.0.0.1");
    Mosquitto broker;
    FakeSpotifyProcess fake_process{
        FakeSpotifyOptions{.tls_cert = certificate.cert, .tls_key = certificate.key}};
    FakeSpotifyClient fake{fake_process.base_url(), tls.ca.cert()};
    MqttProbe probe{broker.url(), MqttProbeOptions{.subscriptions = {"spotify2mqtt/#"}}};

    std::unique_ptr<BridgeUnderTest> bridge(const Json& ca_file) {
        BridgeOptions options;
        options.mqtt_url = broker.url();
        options.api_url = fake.api_url();
        options.accounts_url = fake.accounts_url();
        options.config_overrides = BridgeWorld::accounts({"hana"});
        options.config_overrides["spotify"] = {{"ca_file", ca_file}};
        return std::make_unique<BridgeUnderTest>(options);
    }
};

}  // namespace

TEST_CASE("Spotify over HTTPS is verified: spotify.ca_file is trusted, nothing else is", "[tls]") {
    HttpsSpotifyWorld world;
    REQUIRE_THAT(world.fake.base_url(), Catch::StartsWith("https://"));
    world.fake.create_user(short_playlist_user("hana", 120000));

    auto trusted = world.bridge(world.tls.ca.cert().string());
    INFO(trusted->log());
    CHECK(world.probe.wait_for_json(
        "spotify2mqtt/hana", [](const Json& s) { return s["state"] == "playing"; }, 10s));
    trusted->process().terminate_and_wait();

    // The system's CAs (null) and another CA must both refuse the fake's certificate: no request
    // reaches it, and the account is offline with a reason and a sentence saying why.
    for (const Json& ca_file : {Json(nullptr), Json(world.tls.other_ca.cert().string())}) {
        INFO("spotify.ca_file: " << ca_file.dump());
        int64_t since = world.fake.last_seq();
        world.probe.clear();
        auto refused = world.bridge(ca_file);
        INFO(refused->log());
        CHECK(world.probe.wait_for_json(
            "spotify2mqtt/hana/availability",
            [](const Json& a) { return a.value("reason", "") == "api_unreachable"; }, 10s));
        CHECK_THAT(refused->log(), Catch::Contains("SSL certificate problem"));
        CHECK(world.fake.requests_to("POST", "/api/token", since).empty());
        CHECK(world.probe.messages("spotify2mqtt/hana").empty());
        refused->process().terminate_and_wait();
    }
}
