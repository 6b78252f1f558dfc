#include "support/Mosquitto.h"

#include <unistd.h>

#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/Ports.h"

namespace s2m::test {
namespace {
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(10);
}  // namespace

Mosquitto::Mosquitto(MosquittoOptions options) : options_(options), dir_("s2m-mosquitto") {
    // free_tcp_port() can race with other processes grabbing the same port: try a few.
    for (int attempt = 0; attempt < 5; ++attempt) {
        port_ = free_tcp_port();
        if (options_.tls) tls_port_ = free_tcp_port();
        write_config();
        if (launch(kStartTimeout)) return;
    }
    throw std::runtime_error("mosquitto did not start; its log:\n" + log());
}

Mosquitto::~Mosquitto() {
    if (process_) process_->terminate_and_wait(kStopTimeout);
}

void Mosquitto::write_config() const {
    std::ostringstream conf;
    if (options_.tls) conf << "per_listener_settings true\n";
    conf << "listener " << port_ << " 127.0.0.1\n"
         << "allow_anonymous true\n";
    if (options_.tls) {
        conf << "listener " << tls_port_ << " 127.0.0.1\n"
             << "certfile " << options_.tls->cert.string() << "\n"
             << "keyfile " << options_.tls->key.string() << "\n"
             << "allow_anonymous false\n"
             << "password_file " << options_.tls->password_file.string() << "\n";
    }
    conf << "log_dest stderr\n"
         << "log_type all\n"
         << "connection_messages true\n"
         << "log_timestamp_format %H:%M:%S\n";
    if (options_.tcp_nodelay) conf << "set_tcp_nodelay true\n";
    if (options_.persistence) {
        conf << "persistence true\n"
             << "persistence_location " << dir_.path().string() << "/\n";
    } else {
        conf << "persistence false\n";
    }
    // As root, mosquitto would switch to the `mosquitto` user, which cannot write our 0700 dir.
    if (::geteuid() == 0) conf << "user root\n";
    dir_.write_file("mosquitto.conf", conf.str());
}

bool Mosquitto::launch(std::chrono::milliseconds timeout) {
    process_ = std::make_unique<Process>(ProcessOptions{
        .argv = {kBinary, "-c", (dir_ / "mosquitto.conf").string()},
        .log_file = dir_ / "mosquitto.log",
    });
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (port_open(port_) && (tls_port_ == 0 || port_open(tls_port_))) return true;
        if (!process_->running()) return false;  // e.g. "Address already in use"
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    process_->kill_hard();
    return false;
}

void Mosquitto::stop() {
    if (!process_) return;
    process_->terminate_and_wait(kStopTimeout);
    process_.reset();
}

void Mosquitto::start() {
    if (process_ && process_->running()) return;
    // The port was ours a moment ago; a short retry covers a kernel still releasing it.
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (launch(kStartTimeout)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    process_.reset();
    throw std::runtime_error("mosquitto did not restart on port " + std::to_string(port_) +
                             "; its log:\n" + log());
}

void Mosquitto::restart() {
    stop();
    start();
}

void Mosquitto::kill_hard() {
    if (!process_) return;
    process_->kill_hard();
    process_.reset();
}

bool Mosquitto::running() {
    return process_ && process_->running();
}

std::string Mosquitto::log() const {
    return read_file(dir_ / "mosquitto.log");
}

}  // namespace s2m::test
