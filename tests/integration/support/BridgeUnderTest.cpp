#include "BridgeUnderTest.h"

#include <fstream>

#include "Paths.h"

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
    config_.merge_patch(options_.config_overrides);
    config_path_ = dir_ / "config.json";
    std::ofstream(config_path_) << "// written by the integration test\n"
                                << config_.dump(2) << "\n";
    start();
}

void BridgeUnderTest::start() {
    ProcessOptions process;
    process.argv = {bridge_binary().string(), "run", "--config", config_path_.string()};
    process.env = options_.env;
    process.log_file = dir_ / "bridge.log";
    process_ = std::make_unique<Process>(process);
}

}  // namespace s2m::test
