// `spotify2mqtt link` run in a terminal beside a LinkingWorld's bridge, as a person runs it: the
// consent address it prints, and a config of its own that serves the callback on a free port.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "LinkingWorld.h"
#include "support/Paths.h"
#include "support/Process.h"
#include "support/TempDir.h"
#include "support/Wait.h"

namespace s2m::test {

// `spotify2mqtt link` running with `config`; what it prints, and the consent address it offers.
struct TerminalLink {
    TempDir dir{"s2m-link-cli"};
    std::unique_ptr<Process> process;

    // `typing`: stdin is a terminal a person types into (write_stdin); else /dev/null, as when
    // `link` runs from a script.
    TerminalLink(const std::filesystem::path& config, const std::string& account,
                 bool typing = true) {
        ProcessOptions options;
        options.argv = {bridge_binary().string(), "link", "--config", config.string()};
        if (!account.empty()) options.argv.insert(options.argv.end(), {"--account", account});
        options.log_file = dir / "link.log";
        options.stdin_writable = typing;
        process = std::make_unique<Process>(options);
    }

    std::string log() const { return process->log(); }

    // The text printed so far once it holds `needle` (waits up to 15 s).
    std::string wait_printed(const std::string& needle) {
        std::string printed;
        eventually(
            [&] {
                printed = log();
                return printed.find(needle) != std::string::npos;
            },
            15s, 100ms);
        return printed;
    }

    std::string authorize_url() {
        std::string printed = wait_printed("/authorize?");
        size_t at = printed.find("/authorize?");
        REQUIRE(at != std::string::npos);
        size_t start = printed.rfind("http", at);
        return printed.substr(start, printed.find('\n', start) - start);
    }
};

// A config for the terminal beside `world`'s bridge: same store and app, its own free callback
// port, so `link` serves the callback itself.
inline std::filesystem::path own_port_config(LinkingWorld& world, const TempDir& dir, int port) {
    Json config = world.bridge->config();
    config["web"]["listen"] = nullptr;
    config["spotify"]["redirect_uri"] = "http://127.0.0.1:" + std::to_string(port) + "/callback";
    world.fake.register_app("fake-client-id", "fake-client-secret",
                            {world.bridge->redirect_uri(), config["spotify"]["redirect_uri"]});
    std::filesystem::path path = dir / "link.json";
    std::ofstream(path) << config.dump(2);
    return path;
}

}  // namespace s2m::test
