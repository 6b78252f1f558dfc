#include "config/Cli.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "config/ConfigSchema.h"

namespace s2m {

namespace {

using Command = CliOptions::Command;

constexpr std::array<std::pair<std::string_view, Command>, 5> kCommandWords{{
    {"run", Command::Run},
    {"check-config", Command::CheckConfig},
    {"link", Command::Link},
    {"accounts", Command::Accounts},
    {"healthcheck", Command::HealthCheck},
}};

Error failure(std::string sentence) {
    return Error{ErrorKind::Refused, std::move(sentence)};
}

std::string unknown_command_sentence(const std::string& word) {
    std::vector<std::string_view> words;
    for (const auto& entry : kCommandWords) words.push_back(entry.first);
    std::string sentence = "unknown command `" + word +
                           "`; the commands are run, check-config, link, accounts and healthcheck";
    if (auto suggestion = config_schema::closest_key(word, words)) {
        sentence += " (did you mean `" + std::string(*suggestion) + "`?)";
    }
    return sentence;
}

}  // namespace

Result<CliOptions> parse_cli(const std::vector<std::string>& args) {
    CliOptions options;
    auto is_any = [&](std::string_view a, std::string_view b) {
        return std::any_of(args.begin(), args.end(),
                           [&](const std::string& arg) { return arg == a || arg == b; });
    };
    if (is_any("--help", "-h")) {
        options.command = Command::Help;
        return options;
    }
    if (is_any("--version", "-V")) {
        options.command = Command::Version;
        return options;
    }

    std::optional<std::string> command_word;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (!arg.starts_with("-")) {
            if (command_word) {
                return failure("unexpected argument `" + arg + "` after the command `" +
                               *command_word + "`");
            }
            auto known = std::find_if(kCommandWords.begin(), kCommandWords.end(),
                                      [&](const auto& entry) { return entry.first == arg; });
            if (known == kCommandWords.end()) return failure(unknown_command_sentence(arg));
            command_word = arg;
            options.command = known->second;
            continue;
        }

        size_t equals = arg.find('=');
        std::string name = arg.substr(0, equals);
        std::optional<std::string> inline_value;
        if (equals != std::string::npos) inline_value = arg.substr(equals + 1);

        if (name != "--config" && name != "--account") {
            return failure("unknown option `" + name + "`");
        }
        const char* what = name == "--config" ? "a file name" : "an account name";
        std::string value;
        if (inline_value) {
            value = *inline_value;
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return failure(name + " needs " + what + ", e.g. " + name +
                           (name == "--config" ? " /etc/spotify2mqtt/config.json" : " alice"));
        }
        if (value.empty()) return failure(name + " needs " + what + ", not an empty one");
        auto& target = name == "--config" ? options.config_path : options.account;
        if (target) return failure(name + " is given twice");
        target = value;
    }

    if (options.account && options.command != Command::Link) {
        return failure("--account only applies to the `link` command");
    }
    return options;
}

std::string help_text() {
    return R"(spotify2mqtt - a bridge between Spotify accounts and MQTT / Home Assistant

Usage:
  spotify2mqtt [run] [--config FILE]
  spotify2mqtt check-config [--config FILE]
  spotify2mqtt link [--account NAME] [--config FILE]
  spotify2mqtt accounts [--config FILE]
  spotify2mqtt healthcheck [--config FILE]
  spotify2mqtt --help | --version

Commands:
  run            Check the configuration, then run the bridge until SIGTERM or Ctrl-C
                 (the default command).
  check-config   Print every problem in the configuration; exit 0 when it is valid.
  link           Link a Spotify account from this terminal: open the printed URL, then paste
                 the address your browser landed on (or let the loopback callback finish).
  accounts       List the accounts, whether each is linked and when its token expires.
  healthcheck    Ask the running bridge (GET /healthz on web.listen) whether it is connected
                 to the broker; exit 0 when healthy, 1 when not (for container health checks).

Options:
  --config FILE, --config=FILE
                 Read the configuration from FILE.
  --account NAME The account `link` links, e.g. alice (a-z, 0-9, '_' and '-').
  -h, --help     Show this help.
  -V, --version  Show the version.

Configuration (JSON, comments allowed) is read from the first of:
  1. --config FILE
  2. $SPOTIFY2MQTT_CONFIG
  3. ./config/spotify2mqtt.json
  4. /etc/spotify2mqtt/config.json
and the built-in defaults are used when none of the last two exists. A relative state_dir
(where linked accounts' tokens are kept) is resolved against the folder of that file, so
the same file finds the same tokens from any working directory (without a file: against
the working directory).

Any key can be overridden from the environment: SPOTIFY2MQTT__SECTION__KEY=value, with two
underscores between levels (names are case-insensitive; values are JSON literals or plain text;
an empty value changes nothing, write null to unset a key):
  SPOTIFY2MQTT__MQTT__URL=mqtts://broker.lan:8883
  SPOTIFY2MQTT__POLLING__PLAYING_INTERVAL_S=5
  SPOTIFY2MQTT__ACCOUNTS='[{"name":"alice"}]'

Exit codes:
  0   success
  1   `link` did not link, or `healthcheck` found the bridge unhealthy or unreachable
  64  the command line is wrong
  73  the state directory cannot be used
  78  the configuration is wrong (the problems are printed)

More: README.md (set-up, Home Assistant, linking accounts), docs/configuration.md (every key)
and `spotify2mqtt check-config`.
)";
}

}  // namespace s2m
