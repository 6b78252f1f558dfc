#include "adapters/mqtt/ReconnectSupervisor.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace s2m {

std::chrono::milliseconds reconnect_delay(int failures, const ReconnectPolicy& policy,
                                          double random01) {
    auto nominal = policy.min_delay;
    for (int i = 1; i < failures && nominal < policy.max_delay; ++i) nominal *= 2;
    nominal = std::min(nominal, policy.max_delay);
    auto half = nominal / 2;
    auto jittered = half + std::chrono::milliseconds(static_cast<long long>(
                               static_cast<double>(half.count()) * std::clamp(random01, 0.0, 1.0)));
    return std::clamp(jittered, policy.min_delay, nominal);
}

ReconnectSupervisor::ReconnectSupervisor(ReconnectTarget& target, ReconnectPolicy policy,
                                         std::function<double()> random01)
    : target_(target), policy_(policy), random01_(std::move(random01)) {}

ReconnectSupervisor::~ReconnectSupervisor() {
    stop();
}

void ReconnectSupervisor::start() {
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void ReconnectSupervisor::connection_lost() {
    {
        std::lock_guard lock(mutex_);
        connect_wanted_ = true;
        // Right after a loss Paho is still tearing the connection down (a connect then is
        // "ignored", code -18), and a broker that just died is rarely back yet.
        settle_first_ = true;
    }
    wake_.notify_all();
}

void ReconnectSupervisor::stop() {
    if (!thread_.joinable()) return;
    thread_.request_stop();  // wakes wake_ waits that were given the stop token
    thread_.join();
}

void ReconnectSupervisor::run(std::stop_token stop) {
    using Result = ConnectAttempt::Result;
    int failures = 0;  // in a row
    for (;;) {
        bool lost = false;
        {
            std::unique_lock lock(mutex_);
            // Woken by a loss, or after health_check anyway: a connect_once() on a connected
            // client returns at once, and one that lost its connection silently reconnects.
            wake_.wait_for(lock, stop, policy_.health_check, [this] { return connect_wanted_; });
            if (stop.stop_requested()) return;
            lost = connect_wanted_;
            if (settle_first_) {
                wake_.wait_for(lock, stop, policy_.min_delay, [] { return false; });
                if (stop.stop_requested()) return;
                settle_first_ = false;
            }
            // Cleared right before the attempt: a loss reported from here on asks for another.
            connect_wanted_ = false;
        }
        if (lost) note_loss(std::chrono::steady_clock::now());
        ConnectAttempt attempt = target_.connect_once(stop);
        if (attempt.result == Result::stopped || stop.stop_requested()) return;
        if (attempt.result == Result::connected) {
            failures = 0;
            if (!connected_at_) connected_at_ = std::chrono::steady_clock::now();
            continue;
        }
        ++failures;
        auto delay = reconnect_delay(failures, policy_, random01_());
        bool recreate = attempt.result == Result::no_answer ||
                        failures % std::max(1, policy_.recreate_after_failures) == 0;
        spdlog::warn("MQTT: {}; attempt {} failed, retrying in {:.1f} s{}", attempt.reason,
                     failures, static_cast<double>(delay.count()) / 1000.0,
                     recreate ? " with a new MQTT client" : "");
        if (recreate) target_.recreate_client();
        wait_before_retry(stop, delay);
    }
}

void ReconnectSupervisor::note_loss(std::chrono::steady_clock::time_point now) {
    if (!connected_at_) return;  // lost before the connection was made: a failed attempt
    bool brief = now - *connected_at_ < policy_.stable_after;
    connected_at_.reset();
    brief_connections_ = brief ? brief_connections_ + 1 : 0;
    if (brief_connections_ < std::max(1, policy_.recreate_after_failures)) return;
    spdlog::warn(
        "MQTT: the broker dropped the connection {} times in a row right after it was "
        "made; starting over with a new MQTT client",
        brief_connections_);
    brief_connections_ = 0;
    target_.recreate_client();
}

void ReconnectSupervisor::wait_before_retry(std::stop_token stop, std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    connect_wanted_ = true;
    // Only a stop request ends the wait early (a loss cannot be reported while unconnected).
    wake_.wait_for(lock, stop, delay, [] { return false; });
}

}  // namespace s2m
