// Port: the little the bridge needs from an MQTT client. Events arrive through MqttListener on
// the adapter's thread; listeners must only hand them over to the loop.
#pragma once

#include <string>
#include <vector>

namespace s2m {

struct MqttMessage {
    std::string topic;
    std::string payload;
    bool retained = false;
    bool duplicate = false;  // the broker's DUP flag: a QoS 1 redelivery
};

class MqttListener {
  public:
    virtual ~MqttListener() = default;
    virtual void on_connected() = 0;
    virtual void on_connection_lost(const std::string& cause) = 0;
    virtual void on_message(MqttMessage message) = 0;
    // The broker acknowledged the subscriptions made after the last connect. Messages that
    // arrived between on_connected() and this were queued in the persistent session.
    virtual void on_subscribed() {}
};

class MqttPort {
  public:
    virtual ~MqttPort() = default;
    // Never blocks; a message published while disconnected is dropped (state is republished on
    // every connect).
    virtual void publish(const std::string& topic, const std::string& payload, bool retained,
                         int qos = 1) = 0;
    virtual void subscribe(const std::vector<std::string>& filters) = 0;
    virtual bool connected() const = 0;
};

}  // namespace s2m
