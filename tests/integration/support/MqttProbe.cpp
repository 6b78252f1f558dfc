#include "support/MqttProbe.h"

#include <unistd.h>

#include <set>
#include <stdexcept>

namespace s2m::test {
namespace {

std::string unique_client_id() {
    static std::atomic<int> counter{0};
    return "s2m-probe-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

// Paho only reports a refused MQTT 5 subscription through the SUBACK reason codes.
void check_suback(const mqtt::token_ptr& token, const std::string& filter) {
    // Keep the response alive: get_reason_codes() returns a reference into it.
    const mqtt::subscribe_response response = token->get_subscribe_response();
    for (const auto code : response.get_reason_codes()) {
        if (code >= mqtt::ReasonCode::UNSPECIFIED_ERROR) {
            throw std::runtime_error("broker refused subscription to " + filter + " (reason " +
                                     std::to_string(static_cast<int>(code)) + ")");
        }
    }
}

// Paho C 1.3.12 (Debian 12) has one receive thread for all clients of a process, blocked in
// poll() for up to 1 s on the sockets it had when the call began. A second client's new socket
// is only watched after that poll returns, so each connect after the first took ~2 s. While a
// connect is pending, asking an already-connected probe for an UNSUBACK (for a filter nobody
// uses: no message reaches anyone) makes its socket readable, which ends the poll at once.
constexpr const char* kWakeFilter = "s2m-probe-internal/wake";

std::mutex& registry_mutex() {
    static std::mutex mutex;
    return mutex;
}

std::set<mqtt::async_client*>& connected_clients() {
    static std::set<mqtt::async_client*> clients;
    return clients;
}

void wake_paho_receive_thread(const mqtt::async_client* except) {
    std::lock_guard lock(registry_mutex());
    for (auto* client : connected_clients()) {
        if (client != except && client->is_connected()) {
            try {
                client->unsubscribe(kWakeFilter);  // not awaited: only the reply matters
            } catch (const mqtt::exception&) {
                continue;  // that client is going away; try another
            }
            return;
        }
    }
}

}  // namespace

bool topic_matches(std::string_view filter, std::string_view topic) {
    while (true) {
        const auto f_end = filter.find('/');
        const auto t_end = topic.find('/');
        const std::string_view f_level = filter.substr(0, f_end);
        if (f_level == "#") return true;  // also matches the parent level ("a/#" matches "a")
        const std::string_view t_level = topic.substr(0, t_end);
        if (f_level != "+" && f_level != t_level) return false;
        if (f_end == std::string_view::npos || t_end == std::string_view::npos) {
            // Both must end here, except "a/#" against "a", which the check above handles.
            return f_end == t_end ||
                   (t_end == std::string_view::npos && filter.substr(f_end + 1) == "#");
        }
        filter.remove_prefix(f_end + 1);
        topic.remove_prefix(t_end + 1);
    }
}

MqttProbe::MqttProbe(std::string url, MqttProbeOptions options)
    : client_id_(options.client_id.empty() ? unique_client_id() : options.client_id),
      options_(std::move(options)) {
    // MQTT 5 must be chosen when the client is created, not only when connecting.
    client_ =
        std::make_unique<mqtt::async_client>(url, client_id_, mqtt::create_options(MQTTVERSION_5));
    client_->set_message_callback([this](mqtt::const_message_ptr msg) { on_message(msg); });
    client_->set_connected_handler([this](const std::string&) { on_connected(); });
    client_->set_connection_lost_handler([this](const std::string&) { reconnecting_ = true; });
    if (options_.connect) connect();
}

MqttProbe::~MqttProbe() {
    try {
        disconnect(std::chrono::seconds(2));
    } catch (...) {
        // Best effort: the broker may be gone already; the client is destroyed either way.
    }
    client_->disable_callbacks();
}

void MqttProbe::connect(std::chrono::milliseconds timeout) {
    auto builder = mqtt::connect_options_builder()
                       .mqtt_version(MQTTVERSION_5)
                       .clean_start(options_.clean_session)
                       .connect_timeout(timeout)
                       .keep_alive_interval(std::chrono::seconds(30));
    if (!options_.clean_session) {
        // In MQTT 5 a session ends at disconnect unless it has an expiry interval.
        builder.properties({mqtt::property(mqtt::property::SESSION_EXPIRY_INTERVAL, 3600)});
    }
    if (options_.auto_reconnect) {
        builder.automatic_reconnect(std::chrono::milliseconds(100), std::chrono::seconds(2));
    }
    reconnecting_ = false;
    auto token = client_->connect(builder.finalize());
    const auto deadline = std::chrono::steady_clock::now() + timeout + std::chrono::seconds(1);
    while (!token->wait_for(std::chrono::milliseconds(20))) {
        if (std::chrono::steady_clock::now() >= deadline) {
            throw std::runtime_error("MQTT connect to " + client_->get_server_uri() + " timed out");
        }
        wake_paho_receive_thread(client_.get());
    }
    session_present_ = token->get_connect_response().is_session_present();
    {
        std::lock_guard lock(registry_mutex());
        connected_clients().insert(client_.get());
    }
    for (const auto& filter : options_.subscriptions) subscribe(filter);
}

void MqttProbe::disconnect(std::chrono::milliseconds timeout) {
    {
        std::lock_guard lock(registry_mutex());
        connected_clients().erase(client_.get());
    }
    if (!client_->is_connected()) return;
    client_->disconnect()->wait_for(timeout);
}

bool MqttProbe::connected() const {
    return client_->is_connected();
}

void MqttProbe::on_connected() {
    // Runs on a Paho thread: only re-issue subscriptions lost with a clean session after an
    // automatic reconnect, and never block here (the SUBACK is not awaited).
    if (!reconnecting_.exchange(false) || !options_.clean_session) return;
    std::vector<std::pair<std::string, int>> subscriptions;
    {
        std::lock_guard lock(mutex_);
        subscriptions = subscriptions_;
    }
    const mqtt::subscribe_options opts(mqtt::subscribe_options::SUBSCRIBE_LOCAL,
                                       mqtt::subscribe_options::RETAIN_AS_PUBLISHED);
    for (const auto& [filter, qos] : subscriptions) client_->subscribe(filter, qos, opts);
}

void MqttProbe::subscribe(const std::string& filter, int qos) {
    const mqtt::subscribe_options opts(mqtt::subscribe_options::SUBSCRIBE_LOCAL,
                                       mqtt::subscribe_options::RETAIN_AS_PUBLISHED);
    auto token = client_->subscribe(filter, qos, opts);
    if (!token->wait_for(std::chrono::seconds(10))) {
        throw std::runtime_error("MQTT subscribe to " + filter + " timed out");
    }
    check_suback(token, filter);
    std::lock_guard lock(mutex_);
    subscriptions_.emplace_back(filter, qos);
}

void MqttProbe::unsubscribe(const std::string& filter) {
    client_->unsubscribe(filter)->wait_for(std::chrono::seconds(10));
    std::lock_guard lock(mutex_);
    std::erase_if(subscriptions_, [&](const auto& sub) { return sub.first == filter; });
}

void MqttProbe::publish(const std::string& topic, const std::string& payload, int qos,
                        bool retained) {
    auto token = client_->publish(topic, payload.data(), payload.size(), qos, retained);
    if (!token->wait_for(std::chrono::seconds(10))) {
        throw std::runtime_error("MQTT publish to " + topic + " timed out");
    }
}

void MqttProbe::on_message(const mqtt::const_message_ptr& msg) {
    MqttMessage message{msg->get_topic(), msg->get_payload_str(), msg->is_retained(),
                        msg->get_qos(), std::chrono::steady_clock::now()};
    {
        std::lock_guard lock(mutex_);
        received_.push_back(std::move(message));
    }
    arrived_.notify_all();
}

std::optional<MqttMessage> MqttProbe::wait_for(const std::string& filter,
                                               const PayloadPredicate& predicate,
                                               std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    std::size_t next = 0;  // messages before `next` were already checked
    std::uint64_t generation = generation_;
    while (true) {
        if (generation != generation_) {  // clear() ran while we waited: start over
            generation = generation_;
            next = 0;
        }
        for (; next < received_.size(); ++next) {
            const MqttMessage& msg = received_[next];
            if (topic_matches(filter, msg.topic) && (!predicate || predicate(msg.payload))) {
                return msg;
            }
        }
        if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout &&
            next == received_.size()) {
            return std::nullopt;
        }
    }
}

std::optional<MqttMessage> MqttProbe::wait_for_json(const std::string& filter,
                                                    const JsonPredicate& predicate,
                                                    std::chrono::milliseconds timeout) {
    return wait_for(
        filter,
        [&predicate](const std::string& payload) {
            auto parsed = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
            return !parsed.is_discarded() && (!predicate || predicate(parsed));
        },
        timeout);
}

std::vector<MqttMessage> MqttProbe::messages(const std::string& filter) const {
    std::lock_guard lock(mutex_);
    std::vector<MqttMessage> result;
    for (const auto& msg : received_) {
        if (topic_matches(filter, msg.topic)) result.push_back(msg);
    }
    return result;
}

std::vector<MqttMessage> MqttProbe::messages() const {
    std::lock_guard lock(mutex_);
    return received_;
}

std::optional<MqttMessage> MqttProbe::last(const std::string& filter) const {
    std::lock_guard lock(mutex_);
    for (auto it = received_.rbegin(); it != received_.rend(); ++it) {
        if (topic_matches(filter, it->topic)) return *it;
    }
    return std::nullopt;
}

void MqttProbe::clear() {
    std::lock_guard lock(mutex_);
    received_.clear();
    ++generation_;
}

}  // namespace s2m::test
