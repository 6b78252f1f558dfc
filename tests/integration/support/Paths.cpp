#include "support/Paths.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>
#include <thread>

namespace s2m::test {
namespace {

// The port once the file holds a complete number. A writer that does not rename atomically may
// be caught mid-write, so a value counts only when it reads the same twice in a row.
std::optional<int> read_port_file(const std::filesystem::path& file) {
    auto parse = [&]() -> std::optional<std::string> {
        std::string text = read_file(file);
        std::erase_if(text, [](unsigned char c) { return std::isspace(c) != 0; });
        if (text.empty() || !std::all_of(text.begin(), text.end(),
                                         [](unsigned char c) { return std::isdigit(c) != 0; })) {
            return std::nullopt;
        }
        return text;
    };
    const auto first = parse();
    if (!first) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (parse() != first) return std::nullopt;
    const int port = std::stoi(*first);
    if (port <= 0 || port > 65535) return std::nullopt;
    return port;
}

}  // namespace

FakeSpotifyProcess::FakeSpotifyProcess(FakeSpotifyOptions options) : dir_("s2m-fake-spotify") {
    const auto port_file = dir_ / "port";
    std::vector<std::string> argv{fake_spotify_binary().string(), "--listen", "127.0.0.1:0",
                                  "--port-file", port_file.string()};
    argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
    if (!options.tls_cert.empty()) {
        scheme_ = "https";
        for (const std::string& arg : {std::string("--tls-cert"), options.tls_cert.string(),
                                       std::string("--tls-key"), options.tls_key.string()})
            argv.push_back(arg);
    }
    process_ = std::make_unique<Process>(ProcessOptions{
        .argv = std::move(argv),
        .env = options.env,
        .log_file = dir_ / "fake_spotify.log",
    });

    const auto deadline = std::chrono::steady_clock::now() + options.start_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto port = read_port_file(port_file)) {
            port_ = *port;
            return;
        }
        if (!process_->running()) {
            throw std::runtime_error("fake_spotify exited with code " +
                                     std::to_string(process_->exit_code().value_or(-1)) +
                                     " before listening; its log:\n" + process_->log());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("fake_spotify wrote no port file in time; its log:\n" +
                             process_->log());
}

}  // namespace s2m::test
