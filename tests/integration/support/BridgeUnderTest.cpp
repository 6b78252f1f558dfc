#include "BridgeUnderTest.h"

#include <fstream>

#include "Paths.h"
#include "Ports.h"

namespace s2m::test {

BridgeUnderTest::BridgeUnderTest(BridgeOptions options) : options_(std::move(options)) {
    config_ = {
        {"mqtt", {{"url", options_.mqtt_url}, {"client_id", "spotify2mqtt-test"}}},
        {"spotify",
         {{"client_id", "fake-client-id"},
          {"client_secret", "fake-client-secret"},
          {"api_url", options_.api_url},
          {"accounts_url", options_.accounts_url}}},
        {"web", {{"listen", nullptr}}},
        {"state_dir", state_dir().string()},
        {"log_level", "debug"},
    };
    if (options_.web) {
        web_port_ = free_tcp_port();
        config_["web"]["listen"] = options_.web_host + ":" + std::to_string(web_port_);
        config_["spotify"]["redirect_uri"] = redirect_uri();
    }
    config_.merge_patch(options_.config_overrides);
    config_path_ = dir_ / "config.json";
    std::ofstream(config_path_) << "// written by the integration test\n"
                                << config_.dump(2) << "\n";
    start();
}

void BridgeUnderTest::start() {
    ProcessOptions process;
    process.argv = options_.wrapper;
    for (const std::string& arg : {bridge_binary().string(), std::string("run"),
                                   std::string("--config"), config_path_.string()})
        process.argv.push_back(arg);
    process.env = options_.env;
    process.log_file = dir_ / "bridge.log";
    process_ = std::make_unique<Process>(process);
    if (web_port_ != 0 && !wait_port_open(web_port_, std::chrono::seconds(10))) {
        throw std::runtime_error("the bridge's web page did not open on port " +
                                 std::to_string(web_port_) + "\n" + log());
    }
}

}  // namespace s2m::test
