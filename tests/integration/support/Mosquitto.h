#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "support/Process.h"
#include "support/TempDir.h"

namespace s2m::test {

struct MosquittoOptions {
    // Keep sessions, subscriptions, queued and retained messages across stop()/restart() (saved to
    // the private dir when mosquitto stops cleanly; kill_hard() loses what was not saved yet).
    bool persistence = false;
    // mosquitto's `set_tcp_nodelay true`, as the project's own broker configs set it
    // (docs/mqtt.md#broker-settings): without it the broker's own Nagle delay (40 ms, the
    // subscriber's delayed ACK) can hold a message back; command_bench shows both.
    bool tcp_nodelay = true;
    // Also listen with TLS on a second port (tls_url()), for clients with a password: the
    // plain port stays anonymous for probes (per_listener_settings).
    struct Tls {
        std::filesystem::path cert;
        std::filesystem::path key;
        std::filesystem::path password_file;  // mosquitto_passwd format
    };
    std::optional<Tls> tls;
};

// A private mosquitto broker on 127.0.0.1:<free port>, anonymous access, verbose log. The
// constructor returns once the port accepts connections; the destructor stops it.
class Mosquitto {
  public:
    static constexpr const char* kBinary = "/usr/sbin/mosquitto";

    explicit Mosquitto(MosquittoOptions options = {});
    ~Mosquitto();

    Mosquitto(const Mosquitto&) = delete;
    Mosquitto& operator=(const Mosquitto&) = delete;

    int port() const { return port_; }
    std::string host() const { return "127.0.0.1"; }
    std::string url() const { return "mqtt://127.0.0.1:" + std::to_string(port_); }
    // With options.tls: "mqtts://127.0.0.1:PORT".
    int tls_port() const { return tls_port_; }
    std::string tls_url() const { return "mqtts://127.0.0.1:" + std::to_string(tls_port_); }

    // Clean stop (SIGTERM; mosquitto saves persistence). No-op when not running.
    void stop();
    // Starts again on the same port with the same persistence dir; no-op when running.
    void start();
    void restart();
    // SIGKILL: simulates a broker crash or network loss for the clients.
    void kill_hard();
    bool running();

    // The broker's log (all runs, each starting with a "=== spawn" line).
    std::string log() const;
    const std::filesystem::path& dir() const { return dir_.path(); }

  private:
    bool launch(std::chrono::milliseconds timeout);
    void write_config() const;

    MosquittoOptions options_;
    TempDir dir_;
    int port_ = 0;
    int tls_port_ = 0;
    std::unique_ptr<Process> process_;
};

}  // namespace s2m::test
