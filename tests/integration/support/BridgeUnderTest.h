// The real spotify2mqtt binary, configured the way a user would (a JSON file), pointed at a test
// broker and a fake Spotify. Tests drive it only through MQTT, HTTP and signals.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "Process.h"
#include "TempDir.h"

namespace s2m::test {

struct BridgeOptions {
    std::string mqtt_url;
    std::string api_url;       // the fake's http://127.0.0.1:PORT/v1
    std::string accounts_url;  // the fake's http://127.0.0.1:PORT
    // Merged over the generated config (e.g. {"polling": {...}} or {"accounts": [...]}).
    nlohmann::json config_overrides = nlohmann::json::object();
    std::map<std::string, std::string> env;
    // Serve the account page on a free loopback port, with the redirect URI pointing at it.
    bool web = false;
    // The address the page binds with `web` (0.0.0.0 as in the container image).
    std::string web_host = "127.0.0.1";
    // Put before the bridge's own command line, e.g. {"unshare", "--pid", "--fork"}.
    std::vector<std::string> wrapper;
};

class BridgeUnderTest {
  public:
    explicit BridgeUnderTest(BridgeOptions options);

    // (Re)starts the binary with the same config and state directory.
    void start();
    Process& process() { return *process_; }
    std::string log() const { return process_ ? process_->log() : ""; }
    const std::filesystem::path& config_path() const { return config_path_; }
    std::filesystem::path state_dir() const { return dir_ / "state"; }
    nlohmann::json config() const { return config_; }
    // With options.web: "http://127.0.0.1:PORT" and the callback address on it.
    std::string web_url() const { return "http://127.0.0.1:" + std::to_string(web_port_); }
    std::string redirect_uri() const { return web_url() + "/callback"; }
    int web_port() const { return web_port_; }

  private:
    BridgeOptions options_;
    TempDir dir_{"s2m-bridge"};
    std::filesystem::path config_path_;
    nlohmann::json config_;
    std::unique_ptr<Process> process_;
    int web_port_ = 0;
};

}  // namespace s2m::test
