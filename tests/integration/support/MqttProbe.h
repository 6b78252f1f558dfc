#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mqtt/async_client.h>
#include <nlohmann/json.hpp>

namespace s2m::test {

struct MqttMessage {
    std::string topic;
    std::string payload;
    bool retained = false;
    int qos = 0;
    std::chrono::steady_clock::time_point received_at;

    // The payload parsed as JSON; throws nlohmann::json::parse_error when it is not JSON.
    nlohmann::json json() const { return nlohmann::json::parse(payload); }
};

struct MqttProbeOptions {
    // Empty: a unique id ("s2m-probe-<pid>-<n>"). Set it to resume a persistent session.
    std::string client_id;
    // false: a persistent session (MQTT 5 clean start off, session expiry 1 h), so the broker
    // keeps subscriptions and queues QoS>0 messages while the probe is disconnected.
    bool clean_session = true;
    // Subscribed right after connecting (and re-subscribed after an automatic reconnect of a
    // clean session).
    std::vector<std::string> subscriptions;
    // Reconnect by itself after the broker goes away (e.g. across Mosquitto::restart()).
    bool auto_reconnect = false;
    // Connect in the constructor; otherwise call connect().
    bool connect = true;
};

// An MQTT 5 test client that records every message it receives (thread-safe) and lets a test
// block on a condition variable until the message it expects arrives.
//
// It speaks MQTT 5 and subscribes with "retain as published" and QoS 2 by default, so `retained`
// and `qos` of a recorded message are what the publisher sent (with MQTT 3.1.1 a broker clears
// the retain flag on live messages, and QoS is capped at the subscription's). Messages replayed
// from the broker's retained store on subscribe also have retained == true.
// Topic arguments of the query functions are MQTT filters: "a/b", "a/+/c" and "a/#" all work.
class MqttProbe {
  public:
    explicit MqttProbe(std::string url, MqttProbeOptions options = {});
    ~MqttProbe();

    MqttProbe(const MqttProbe&) = delete;
    MqttProbe& operator=(const MqttProbe&) = delete;

    // Connects and subscribes to options.subscriptions; throws on failure.
    void connect(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Clean disconnect (a persistent session then stays on the broker).
    void disconnect(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    bool connected() const;
    // Whether the broker resumed an existing session on the last connect.
    bool session_present() const { return session_present_; }
    const std::string& client_id() const { return client_id_; }

    // Subscribes and waits for the SUBACK; throws if the broker refuses.
    void subscribe(const std::string& filter, int qos = 2);
    void unsubscribe(const std::string& filter);
    // Publishes and waits until the broker has it (PUBACK/PUBCOMP for QoS 1/2).
    void publish(const std::string& topic, const std::string& payload, int qos = 1,
                 bool retained = false);

    using PayloadPredicate = std::function<bool(const std::string& payload)>;
    using JsonPredicate = std::function<bool(const nlohmann::json& payload)>;

    // The first message recorded (since the last clear()) on a topic matching `filter` whose
    // payload satisfies `predicate` (none: any payload), waiting up to `timeout` for it to arrive.
    // The predicate runs under the probe's lock: it must not call the probe.
    std::optional<MqttMessage> wait_for(
        const std::string& filter, const PayloadPredicate& predicate = nullptr,
        std::chrono::milliseconds timeout = std::chrono::seconds(5));
    // The same with the payload parsed as JSON; payloads that are not JSON never match.
    std::optional<MqttMessage> wait_for_json(
        const std::string& filter, const JsonPredicate& predicate,
        std::chrono::milliseconds timeout = std::chrono::seconds(5));

    // Recorded messages (since the last clear()) in arrival order.
    std::vector<MqttMessage> messages(const std::string& filter) const;
    std::vector<MqttMessage> messages() const;
    std::optional<MqttMessage> last(const std::string& filter) const;
    // Forgets every recorded message (e.g. before the action whose effect a test awaits).
    void clear();

  private:
    void on_message(const mqtt::const_message_ptr& msg);
    void on_connected();

    std::string client_id_;
    MqttProbeOptions options_;
    std::atomic<bool> session_present_{false};
    std::atomic<bool> reconnecting_{false};

    mutable std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<MqttMessage> received_;
    std::uint64_t generation_ = 0;  // bumped by clear(), so a waiting wait_for() rescans
    std::vector<std::pair<std::string, int>> subscriptions_;  // for re-subscribing

    // Last member: destroyed first, so no Paho callback can run on a half-destroyed probe.
    std::unique_ptr<mqtt::async_client> client_;
};

// MQTT topic filter matching ('+' one level, '#' the rest, including the parent level).
bool topic_matches(std::string_view filter, std::string_view topic);

}  // namespace s2m::test
