// The command line (docs/configuration.md#command-line): which command to run and its options.
// Parsing only; main() acts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/Result.h"

namespace s2m {

// Exit codes from BSD sysexits.h, which service managers and scripts already know.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;       // the command did not do what was asked
inline constexpr int kExitUsage = 64;       // EX_USAGE: the command line is wrong
inline constexpr int kExitCantCreate = 73;  // EX_CANTCREAT: state_dir cannot be used
inline constexpr int kExitConfig = 78;      // EX_CONFIG: the configuration is wrong

struct CliOptions {
    enum class Command { Run, CheckConfig, Link, Accounts, HealthCheck, Help, Version };

    Command command = Command::Run;
    std::optional<std::string> config_path;  // --config FILE
    std::optional<std::string> account;      // --account NAME (link only)
};

// `args` are the arguments without argv[0]. --help and --version win over everything else, so
// that `spotify2mqtt link --oops --help` still shows the help. Wrong arguments give an error
// (Refused) whose message is a sentence for the user; exit with kExitUsage.
Result<CliOptions> parse_cli(const std::vector<std::string>& args);

// The text of `spotify2mqtt --help`.
std::string help_text();

}  // namespace s2m
