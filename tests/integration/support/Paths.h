#pragma once

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/Process.h"
#include "support/TempDir.h"

#ifndef S2M_BIN_DIR
#error "S2M_BIN_DIR must name the build's bin/ directory (set in tests/integration/CMakeLists.txt)"
#endif

namespace s2m::test {

// The binaries under test, from the same build tree as integration_tests.
inline std::filesystem::path bin_dir() {
    return S2M_BIN_DIR;
}
// $S2M_BRIDGE_BINARY when set: scripts/test.sh runs the suite against the sanitizer builds of
// the bridge (build-asan/, build-tsan/) with this.
inline std::filesystem::path bridge_binary() {
    if (const char* chosen = std::getenv("S2M_BRIDGE_BINARY"); chosen && *chosen) return chosen;
    return bin_dir() / "spotify2mqtt";
}
inline std::filesystem::path fake_spotify_binary() {
    return bin_dir() / "fake_spotify";
}

struct FakeSpotifyOptions {
    // Appended after `--listen 127.0.0.1:0 --port-file FILE` (e.g. {"--demo"}).
    std::vector<std::string> extra_args;
    std::map<std::string, std::string> env;
    std::chrono::milliseconds start_timeout = std::chrono::seconds(10);
    // Serve HTTPS with this certificate and key (fake_spotify --tls-cert/--tls-key).
    std::filesystem::path tls_cert;
    std::filesystem::path tls_key;
};

// The fake Spotify server on an OS-chosen loopback port. The constructor returns once the server
// has written its port file (i.e. it is listening); throws with the server's log otherwise.
class FakeSpotifyProcess {
  public:
    explicit FakeSpotifyProcess(FakeSpotifyOptions options = {});

    int port() const { return port_; }
    // http(s)://127.0.0.1:PORT — the accounts (OAuth) server and the fake's control endpoints.
    std::string base_url() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_); }
    std::string api_url() const { return base_url() + "/v1"; }
    std::string accounts_url() const { return base_url(); }

    Process& process() { return *process_; }
    std::string log() const { return process_->log(); }
    // SIGTERM and wait; returns the exit code.
    int stop() { return process_->terminate_and_wait(); }

  private:
    TempDir dir_;
    std::unique_ptr<Process> process_;
    int port_ = 0;
    std::string scheme_ = "http";
};

}  // namespace s2m::test
