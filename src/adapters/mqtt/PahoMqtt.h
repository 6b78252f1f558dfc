// MqttPort over Paho's async client. Paho calls us back on its own thread; those callbacks only
// hand events to the MqttListener (which posts them to the loop). Paho's automatic reconnect does
// not cover a broker that is down when we start, so the first connect is retried here, on a small
// thread of our own, with backoff.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

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

class PahoMqtt : public MqttPort {
  public:
    PahoMqtt(const MqttConfig& config, LastWill will, MqttListener& listener);
    ~PahoMqtt() override;

    // Starts connecting in the background; returns at once.
    void start();
    // Publishes `last` (e.g. bridge offline), waits up to timeout_ms for delivery, disconnects.
    void close(const std::vector<MqttMessage>& last, int timeout_ms);

    void publish(const std::string& topic, const std::string& payload, bool retained,
                 int qos = 1) override;
    void subscribe(const std::vector<std::string>& filters) override;
    bool connected() const override;

    // Paho wants tcp:// or ssl://; users write mqtt:// and mqtts:// (SPEC §2).
    static std::string paho_uri(const std::string& url);

    // Why a connect failed, for a person: Paho's return code (a CONNACK code 1-5, or -1 for
    // "TCP/TLS connect failure") turned into what to check in the config.
    static std::string describe_connect_failure(int return_code, const std::string& paho_message,
                                                const MqttConfig& config);

  private:
    void connect_until_up();

    MqttConfig config_;
    LastWill will_;
    MqttListener& listener_;
    std::unique_ptr<mqtt::iaction_listener> subscribed_;  // SUBACK → listener_.on_subscribed()
    std::unique_ptr<mqtt::async_client> client_;
    std::thread connector_;
    std::mutex mutex_;
    std::condition_variable stop_signal_;
    bool stopping_ = false;
};

}  // namespace s2m
