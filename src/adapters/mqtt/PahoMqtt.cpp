#include "adapters/mqtt/PahoMqtt.h"

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <random>
#include <utility>

#include "adapters/system/TcpNoDelay.h"

namespace s2m {

namespace {
constexpr auto kKeepAlive = std::chrono::seconds(30);
constexpr auto kConnectTimeout = std::chrono::seconds(10);
// Paho reports its own connect timeout first; no answer after this means the client is wedged.
constexpr auto kAttemptTimeout = kConnectTimeout + std::chrono::seconds(5);
constexpr auto kStopCheck = std::chrono::milliseconds(250);

mqtt::connect_options build_options(const MqttConfig& config, const LastWill& will) {
    auto builder = mqtt::connect_options_builder()
                       .clean_session(false)  // the broker keeps our subscriptions and QoS 1 queue
                       .keep_alive_interval(kKeepAlive)
                       .connect_timeout(kConnectTimeout)
                       .automatic_reconnect(false)  // ReconnectSupervisor reconnects (PahoMqtt.h)
                       .will(mqtt::message(will.topic, will.payload, 1, true));
    if (config.username) builder.user_name(*config.username);
    if (config.password) builder.password(*config.password);
    if (config.url.starts_with("mqtts://")) {
        auto ssl = mqtt::ssl_options_builder().enable_server_cert_auth(true).verify(true);
        if (config.ca_file) ssl.trust_store(*config.ca_file);
        builder.ssl(ssl.finalize());
    }
    return builder.finalize();
}
// Tells the listener when the broker acknowledged a subscribe (on Paho's thread).
class SubscribeListener : public mqtt::iaction_listener {
  public:
    explicit SubscribeListener(MqttListener& listener) : listener_(listener) {}
    void on_success(const mqtt::token&) override { listener_.on_subscribed(); }
    void on_failure(const mqtt::token& token) override {
        spdlog::warn("MQTT: the broker refused the subscriptions (code {})",
                     token.get_return_code());
        listener_.on_subscribed();  // nothing more will arrive from the old session either
    }

  private:
    MqttListener& listener_;
};
}  // namespace

std::string PahoMqtt::paho_uri(const std::string& url) {
    if (url.starts_with("mqtts://")) return "ssl://" + url.substr(8);
    if (url.starts_with("mqtt://")) return "tcp://" + url.substr(7);
    return url;
}

std::string PahoMqtt::describe_connect_failure(int return_code, const std::string& paho_message,
                                               const MqttConfig& config) {
    bool tls = config.url.starts_with("mqtts://");
    switch (return_code) {
        case -1:  // MQTTASYNC_FAILURE: Paho says "TCP/TLS connect failure" for both
            if (!tls) return "no TCP connection (is the broker running and listening there?)";
            return "no TCP/TLS connection: the broker is not listening there, or its certificate "
                   "was refused (it must be signed by the CA in mqtt.ca_file, or by a system CA "
                   "when that is null, and name the host of mqtt.url)";
        case 1:
            return "the broker does not speak MQTT 3.1.1 (CONNACK 1)";
        case 2:
            return "the broker refused the client id `" + config.client_id +
                   "` (CONNACK 2; mqtt.client_id)";
        case 3:
            return "the broker is unavailable for now (CONNACK 3)";
        case 4:
            return "the broker refused the username or password (CONNACK 4; mqtt.username, "
                   "mqtt.password)";
        case 5:
            return std::string("the broker says this client is not authorised (CONNACK 5): ") +
                   (config.username ? "check mqtt.username and mqtt.password"
                                    : "it wants a username and password (mqtt.username, "
                                      "mqtt.password)");
        default:
            return paho_message + " (Paho code " + std::to_string(return_code) + ")";
    }
}

PahoMqtt::PahoMqtt(const MqttConfig& config, LastWill will, MqttListener& listener)
    : config_(config),
      will_(std::move(will)),
      listener_(listener),
      subscribed_(std::make_unique<SubscribeListener>(listener)),
      client_(make_client(0)),
      supervisor_(*this, ReconnectPolicy{}, [rng = std::mt19937(std::random_device{}())]() mutable {
          return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
      }) {}

PahoMqtt::~PahoMqtt() {
    supervisor_.stop();
    // Before the supervisor goes: a connection-lost callback may still call into it.
    std::unique_lock lock(client_mutex_);
    client_.reset();
}

std::unique_ptr<mqtt::async_client> PahoMqtt::make_client(unsigned generation) {
    auto client = std::make_unique<mqtt::async_client>(paho_uri(config_.url), config_.client_id);
    client->set_connected_handler([this, generation](const std::string&) {
        if (generation != generation_) return;
        // On Paho's thread, before anything is published on this connection.
        int changed = set_tcp_nodelay_to_port(broker_port(config_.url));
        spdlog::debug("MQTT: TCP_NODELAY set on {} broker socket(s)", changed);
        listener_.on_connected();
    });
    client->set_connection_lost_handler([this, generation](const std::string& cause) {
        if (generation != generation_) return;
        listener_.on_connection_lost(cause);
        supervisor_.connection_lost();  // reconnecting is the supervisor's, on its thread
    });
    // Messages of a replaced client are still delivered: the broker sent them to us.
    client->set_message_callback([this](mqtt::const_message_ptr message) {
        listener_.on_message(MqttMessage{message->get_topic(), message->get_payload_str(),
                                         message->is_retained(), message->is_duplicate()});
    });
    return client;
}

void PahoMqtt::start() {
    supervisor_.start();
}

ConnectAttempt PahoMqtt::connect_once(std::stop_token stop) {
    using Result = ConnectAttempt::Result;
    // client_ is only replaced on this thread: reading it here needs no lock.
    if (client_->is_connected()) return {Result::connected, ""};
    auto deadline = std::chrono::steady_clock::now() + kAttemptTimeout;
    try {
        auto token = client_->connect(build_options(config_, will_));
        // In slices, so that a shutdown does not wait for a hanging attempt.
        while (!token->wait_for(kStopCheck)) {
            if (stop.stop_requested()) return {Result::stopped, ""};
            if (std::chrono::steady_clock::now() >= deadline) {
                return {Result::no_answer, fmt::format("connecting to {} got no answer within {} s",
                                                       config_.url, kAttemptTimeout.count())};
            }
        }
        return {Result::connected, ""};
    } catch (const mqtt::exception& e) {
        return {Result::failed,
                "cannot connect to " + config_.url + ": " +
                    describe_connect_failure(e.get_return_code(),
                                             e.get_message().empty() ? e.what() : e.get_message(),
                                             config_)};
    }
}

void PahoMqtt::recreate_client() {
    unsigned generation = ++generation_;  // the old client's callbacks are ignored from here
    auto fresh = make_client(generation);
    std::unique_ptr<mqtt::async_client> old;
    {
        std::unique_lock lock(client_mutex_);
        old = std::exchange(client_, std::move(fresh));
    }
    // Destroyed here, outside the lock, so publish() never waits for it: Paho closes the old
    // socket and drops whatever that client still had pending (state is republished on connect).
    old.reset();
}

void PahoMqtt::publish(const std::string& topic, const std::string& payload, bool retained,
                       int qos) {
    std::shared_lock lock(client_mutex_);
    if (!client_->is_connected()) return;  // republished on the next connect
    try {
        client_->publish(topic, payload.data(), payload.size(), qos, retained);
    } catch (const mqtt::exception& e) {
        spdlog::debug("MQTT: publish to {} dropped: {}", topic, e.what());
    }
}

void PahoMqtt::subscribe(const std::vector<std::string>& filters) {
    std::shared_lock lock(client_mutex_);
    if (!client_->is_connected()) return;
    try {
        auto topics = mqtt::string_collection::create(filters);
        std::vector<int> qos(filters.size(), 1);
        client_->subscribe(topics, qos, nullptr, *subscribed_);
    } catch (const mqtt::exception& e) {
        spdlog::warn("MQTT: subscribe failed: {}", e.what());
    }
}

bool PahoMqtt::connected() const {
    std::shared_lock lock(client_mutex_);
    return client_->is_connected();
}

void PahoMqtt::close(const std::vector<MqttMessage>& last, int timeout_ms) {
    supervisor_.stop();  // from here on client_ is not replaced any more
    if (!client_->is_connected()) return;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    try {
        std::vector<mqtt::delivery_token_ptr> pending;
        for (const auto& message : last) {
            pending.push_back(client_->publish(message.topic, message.payload.data(),
                                               message.payload.size(), 1, message.retained));
        }
        for (auto& token : pending) {
            token->wait_until(deadline);
        }
        client_->disconnect()->wait_until(deadline);
    } catch (const mqtt::exception& e) {
        spdlog::warn("MQTT: clean disconnect failed: {}", e.what());
    }
}

}  // namespace s2m
