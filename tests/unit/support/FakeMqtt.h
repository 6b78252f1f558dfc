// The MQTT port for in-process bridge tests: records what the bridge publishes and subscribes
// to, and lets the test play the broker (connect, deliver a message, drop the connection). The
// listener's callbacks only post to the loop, as with Paho; the harness then runs the loop.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ports/MqttPort.h"

namespace s2m::test {

struct Published {
    std::string topic;
    std::string payload;
    bool retained = false;
};

class FakeMqtt : public MqttPort {
  public:
    void attach(MqttListener& listener) { listener_ = &listener; }

    void publish(const std::string& topic, const std::string& payload, bool retained,
                 int /*qos*/) override {
        published_.push_back({topic, payload, retained});
    }
    void subscribe(const std::vector<std::string>& filters) override {
        subscriptions_.insert(subscriptions_.end(), filters.begin(), filters.end());
    }
    bool connected() const override { return connected_; }

    // The broker accepts the connection; with `acknowledge`, the SUBACK follows at once.
    void connect(bool acknowledge = true) {
        connected_ = true;
        listener_->on_connected();
        if (acknowledge) acknowledge_subscriptions();
    }
    void acknowledge_subscriptions() { listener_->on_subscribed(); }
    void lose(const std::string& cause) {
        connected_ = false;
        listener_->on_connection_lost(cause);
    }
    void deliver(const std::string& topic, const std::string& payload, bool duplicate = false) {
        listener_->on_message(MqttMessage{topic, payload, false, duplicate});
    }

    const std::vector<Published>& published() const { return published_; }
    // Every payload published on `topic`, oldest first.
    std::vector<std::string> payloads(const std::string& topic) const {
        std::vector<std::string> found;
        for (const Published& message : published_)
            if (message.topic == topic) found.push_back(message.payload);
        return found;
    }
    std::optional<std::string> last(const std::string& topic) const {
        auto found = payloads(topic);
        if (found.empty()) return std::nullopt;
        return found.back();
    }
    const std::vector<std::string>& subscriptions() const { return subscriptions_; }
    void forget() { published_.clear(); }  // the log, not the connection

  private:
    MqttListener* listener_ = nullptr;
    bool connected_ = false;
    std::vector<Published> published_;
    std::vector<std::string> subscriptions_;
};

}  // namespace s2m::test
