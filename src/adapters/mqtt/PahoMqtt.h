// MqttPort over Paho's async client. Paho calls us back on its own thread; those callbacks only
// hand events to the MqttListener (which posts them to the loop) and wake the supervisor.
// Paho's automatic reconnect is off: the first connect and every reconnect are ours
// (ReconnectSupervisor, on its own thread): Paho's own sometimes never recovered when the broker
// died mid-write (tests/sanitizers/tsan.supp), and ours replaces a client that stops answering
// by a new one with the same client id, will and broker-side session.
#pragma once

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "adapters/mqtt/ReconnectSupervisor.h"
#include "config/Config.h"
#include "ports/MqttPort.h"

namespace mqtt {
class async_client;
class iaction_listener;
}  // namespace mqtt

namespace s2m {

struct LastWill {
    std::string topic;
    std::string payload;
};

class PahoMqtt : public MqttPort, private ReconnectTarget {
  public:
    PahoMqtt(const MqttConfig& config, LastWill will, MqttListener& listener);
    ~PahoMqtt() override;

    // Starts connecting in the background; returns at once.
    void start();
    // Ends any connect attempt or retry wait in progress, then, when connected, publishes `last`
    // (e.g. bridge offline), waits up to timeout_ms for delivery and disconnects.
    void close(const std::vector<MqttMessage>& last, int timeout_ms);

    void publish(const std::string& topic, const std::string& payload, bool retained,
                 int qos = 1) override;
    void subscribe(const std::vector<std::string>& filters) override;
    bool connected() const override;

    // Paho wants tcp:// or ssl://; users write mqtt:// and mqtts:// (docs/configuration.md#keys).
    static std::string paho_uri(const std::string& url);

    // Why a connect failed, for a person: Paho's return code (a CONNACK code 1-5, or -1 for
    // "TCP/TLS connect failure") turned into what to check in the config.
    static std::string describe_connect_failure(int return_code, const std::string& paho_message,
                                                const MqttConfig& config);

  private:
    ConnectAttempt connect_once(std::stop_token stop) override;  // on the supervisor's thread
    void recreate_client() override;                             // on the supervisor's thread
    std::unique_ptr<mqtt::async_client> make_client(unsigned generation);

    MqttConfig config_;
    LastWill will_;
    MqttListener& listener_;
    std::unique_ptr<mqtt::iaction_listener> subscribed_;  // SUBACK → listener_.on_subscribed()
    // Replaced only by the supervisor's thread, under an exclusive lock; the loop's publish and
    // subscribe use it under a shared one, so a client is never destroyed under them.
    mutable std::shared_mutex client_mutex_;
    std::unique_ptr<mqtt::async_client> client_;
    // Callbacks of a replaced client that still run are ignored: they carry an old generation.
    std::atomic<unsigned> generation_{0};
    ReconnectSupervisor supervisor_;  // stopped (joined) in ~PahoMqtt before the client goes
};

}  // namespace s2m
