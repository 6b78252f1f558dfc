// spotify2mqtt: parse the command line, load the config, run the chosen command.
#include <curl/curl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "adapters/system/Logging.h"
#include "app/BridgeClock.h"
#include "config/Cli.h"
#include "config/ConfigLoader.h"
#include "programs/AccountsCommand.h"
#include "programs/App.h"
#include "programs/HealthCheckCommand.h"
#include "programs/LinkCommand.h"

extern char** environ;

namespace {

using s2m::kExitConfig;
using s2m::kExitUsage;

// SIGTERM/SIGINT are blocked in every thread and taken by one thread with sigwait, so stopping
// needs no async-signal-safe tricks.
int run_bridge(s2m::Config config) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    // glibc gives each thread that allocates its own arena (64 MiB reserved, ~190 KiB touched
    // per worker here); a bridge that spends its time waiting on sockets gains nothing from
    // that, and two arenas take ~0.9 MiB less RSS at 10 accounts. MALLOC_ARENA_MAX still wins.
    if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
    curl_global_init(CURL_GLOBAL_DEFAULT);  // once, before any thread uses curl

    s2m::App app(std::move(config));
    // Set before the waiter is woken when the app ended on its own (e.g. exit 73): that wake-up
    // is our own SIGTERM, and logging it would blame a stop nobody asked for.
    std::atomic<bool> app_ended{false};
    std::thread signal_waiter([&] {
        int received = 0;
        sigwait(&signals, &received);
        if (app_ended.load()) return;
        if (received == SIGTERM || received == SIGINT) {
            spdlog::info("received {}", received == SIGTERM ? "SIGTERM" : "SIGINT");
            app.stop();
        }
    });
    int code = app.run();
    app_ended.store(true);
    pthread_kill(signal_waiter.native_handle(), SIGTERM);
    signal_waiter.join();
    curl_global_cleanup();
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    s2m::Result<s2m::CliOptions> parsed = s2m::parse_cli(args);
    using Command = s2m::CliOptions::Command;
    if (!parsed) {
        std::cerr << "spotify2mqtt: " << parsed.error().message << "\nTry 'spotify2mqtt --help'.\n";
        return kExitUsage;
    }
    const s2m::CliOptions& cli = parsed.value();
    if (cli.command == Command::Help) {
        std::cout << s2m::help_text();
        return 0;
    }
    if (cli.command == Command::Version) {
        std::cout << "spotify2mqtt " << SPOTIFY2MQTT_VERSION << "\n";
        return 0;
    }

    s2m::LoadedConfig loaded = s2m::load_config(cli.config_path, s2m::environment_from(environ));
    if (!loaded.ok()) {
        std::cerr << "spotify2mqtt: the configuration (" << loaded.config.source << ") has "
                  << loaded.problems.size() << " problem"
                  << (loaded.problems.size() == 1 ? "" : "s") << ":\n";
        for (const auto& problem : loaded.problems)
            std::cerr << "  " << s2m::describe(problem) << "\n";
        return kExitConfig;
    }
    switch (cli.command) {
        case Command::CheckConfig:
            for (const auto& warning : loaded.warnings)
                std::cerr << "spotify2mqtt: warning: " << warning << "\n";
            std::cout << "configuration OK (" << loaded.config.source << ")\n";
            return 0;
        case Command::Accounts:
            return s2m::print_accounts(loaded.config, std::cout);
        case Command::HealthCheck: {
            curl_global_init(CURL_GLOBAL_DEFAULT);
            int code = s2m::run_healthcheck(loaded.config, std::cout);
            curl_global_cleanup();
            return code;
        }
        case Command::Link: {
            s2m::setup_logging(loaded.config.log_level, std::getenv("JOURNAL_STREAM") != nullptr);
            for (const auto& warning : loaded.warnings) spdlog::warn("{}", warning);
            ::signal(SIGPIPE, SIG_IGN);
            curl_global_init(CURL_GLOBAL_DEFAULT);  // before the command's threads start
            int code = s2m::run_link_command(loaded.config, cli.account);
            curl_global_cleanup();
            return code;
        }
        default:
            break;
    }
    s2m::TimeScaleSetting time = s2m::parse_time_scale(std::getenv(s2m::kTimeScaleVariable));
    if (time.error) {
        std::cerr << "spotify2mqtt: " << *time.error << "\n";
        return kExitConfig;
    }
    s2m::setup_logging(loaded.config.log_level, std::getenv("JOURNAL_STREAM") != nullptr);
    for (const auto& warning : loaded.warnings) spdlog::warn("{}", warning);
    if (time.scale != 1.0) {
        s2m::set_time_scale(time.scale);
        spdlog::warn("the bridge's clock runs {}x faster ({}): for benchmarks only", time.scale,
                     s2m::kTimeScaleVariable);
    }
    return run_bridge(std::move(loaded.config));
}
