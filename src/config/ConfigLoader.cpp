#include "config/ConfigLoader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/ConfigReader.h"
#include "config/EnvOverrides.h"
#include "core/Encoding.h"
#include "core/Result.h"

namespace s2m {

using Json = nlohmann::json;

namespace {
namespace fs = std::filesystem;

constexpr const char* kConfigPathVariable = "SPOTIFY2MQTT_CONFIG";

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// A file of nothing but comments fails to parse ("unexpected end of input") yet means "all
// defaults", like an empty one. Appending a value tells the two apart: only such a file then
// parses, to exactly that value.
bool holds_only_comments(std::string_view text) {
    Json probe = Json::parse(std::string(text) + "\nnull", nullptr, /*allow_exceptions=*/false,
                             /*ignore_comments=*/true);
    return probe.is_null();
}

// nlohmann reports the byte offset one past the character it stopped at; people want the line
// and column (in characters, not UTF-8 bytes) of that character.
std::string position_of(std::string_view text, size_t byte) {
    size_t offset = std::min(byte == 0 ? 0 : byte - 1, text.size());
    size_t line = 1;
    size_t column = 1;
    for (size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's reason without its prefix and without the "last read: '…'" excerpt, which could
// show part of a password. The excerpt is the config's own text, so it may itself contain
// "'; expected": only nlohmann's suffix (the last one, naming one of its token kinds, nothing
// after it) is kept; anything else after the excerpt's start goes.
std::string reason_of(const Json::exception& error) {
    std::string reason = error.what();
    if (size_t start = reason.find("] "); start != std::string::npos) reason.erase(0, start + 2);
    if (size_t colon = reason.find(": "); colon != std::string::npos) reason.erase(0, colon + 2);
    size_t excerpt = reason.find("; last read: '");
    if (excerpt == std::string::npos) return reason;
    static constexpr std::string_view kExpected = "'; expected ";
    std::string suffix;
    if (size_t end = reason.rfind(kExpected); end != std::string::npos && end >= excerpt) {
        std::string_view token = std::string_view(reason).substr(end + kExpected.size());
        static constexpr std::string_view kTokens[] = {"true literal",
                                                       "false literal",
                                                       "null literal",
                                                       "string literal",
                                                       "number literal",
                                                       "'['",
                                                       "'{'",
                                                       "']'",
                                                       "'}'",
                                                       "':'",
                                                       "','",
                                                       "end of input",
                                                       "'[', '{', or a literal"};
        for (std::string_view known : kTokens) {
            if (token == known) suffix = reason.substr(end + 1);
        }
    }
    reason.erase(excerpt);
    return reason + suffix;
}

std::string syntax_problem(std::string_view text, const Json::parse_error& error) {
    std::string reason = reason_of(error);
    std::string message = position_of(text, error.byte) + ": " + reason;
    if (reason.find("object key - unexpected '}'") != std::string::npos ||
        reason.find("value - unexpected ']'") != std::string::npos) {
        message += " (JSON allows no comma before a closing } or ])";
    } else if (reason.find("invalid literal") != std::string::npos) {
        message += " (text values need double quotes)";
    }
    return message;
}

// The file's text; else why not, written to follow "the file … ".
Result<std::string> read_file(const std::string& path) {
    auto refused = [](std::string why) { return Error{ErrorKind::Refused, std::move(why)}; };
    std::error_code error;
    if (!fs::exists(path, error)) return refused("does not exist");
    if (fs::is_directory(path, error)) return refused("is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) return refused(std::string("cannot be read: ") + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void check_readable(const std::optional<std::string>& file, const char* path,
                    std::vector<ConfigProblem>& problems) {
    if (!file) return;
    if (auto read = read_file(*file); !read) {
        problems.push_back({path, "names the file `" + *file + "`, which " + read.error().message});
    }
}

// A relative state_dir belongs to the config file, not to wherever the bridge was started: the
// same file finds the same tokens from any working directory (docs/configuration.md).
std::string state_dir_beside(const std::string& config_path, const std::string& state_dir) {
    fs::path dir(state_dir);
    if (dir.empty() || dir.is_absolute()) return state_dir;
    fs::path folder = fs::path(config_path).parent_path();
    if (folder.empty()) return state_dir;  // a file in the working directory: already right
    return (folder / dir).lexically_normal().string();
}

// The secrets the file itself holds (not those from the environment), by their config paths.
std::vector<std::string> secrets_in(std::string_view file_text, const std::string& path) {
    Config own = parse_config(file_text, {}, path).config;
    std::vector<std::string> found;
    if (own.spotify.client_secret && !own.spotify.client_secret->empty())
        found.push_back("spotify.client_secret");
    if (own.mqtt.password && !own.mqtt.password->empty()) found.push_back("mqtt.password");
    for (const AccountConfig& account : own.accounts) {
        if (account.refresh_token && !account.refresh_token->empty())
            found.push_back("accounts[" + account.name + "].refresh_token");
        if (account.client_secret && !account.client_secret->empty())
            found.push_back("accounts[" + account.name + "].client_secret");
    }
    return found;
}

// A secret in a file every user of the host can read is no secret. Reported, not fixed: the file
// belongs to whoever installed it (and a container's bind mount may be read-only).
std::optional<std::string> readable_secrets_warning(const std::string& path,
                                                    std::string_view text) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || (st.st_mode & S_IROTH) == 0) return std::nullopt;
    std::vector<std::string> secrets = secrets_in(text, path);
    if (secrets.empty()) return std::nullopt;
    std::string names;
    for (const std::string& name : secrets) names += (names.empty() ? "" : ", ") + name;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return "the config file " + path + " holds secrets (" + names +
           ") and every user of this machine can read it (mode " + mode + "); run `chmod 600 " +
           path + "` (or chmod 640 with a group that only the bridge's user is in)";
}

LoadedConfig load_file(const std::string& path, const char* named_by, const Environment& env) {
    Result<std::string> read = read_file(path);
    if (!read) {
        LoadedConfig failed;
        failed.config.source = path;
        const std::string& why = read.error().message;
        std::string where = named_by ? std::string(named_by) : path;
        std::string message =
            named_by ? "names the file `" + path + "`, which " + why : "the config file " + why;
        failed.problems.push_back({where, message});
        return failed;
    }
    const std::string& contents = read.value();
    LoadedConfig loaded = parse_config(contents, env, path);
    loaded.config.state_dir = state_dir_beside(path, loaded.config.state_dir);
    if (loaded.ok()) {
        if (auto warning = readable_secrets_warning(path, contents))
            loaded.warnings.push_back(*warning);
    }
    return loaded;
}

// The file's text and the environment, checked; problems as they were found.
LoadedConfig parse_config_text(std::string_view json_text, const Environment& env,
                               std::string source_name) {
    LoadedConfig loaded;
    loaded.config.source = source_name;
    Json root = Json::object();
    if (!is_blank(json_text)) {
        try {
            root = Json::parse(json_text, nullptr, /*allow_exceptions=*/true,
                               /*ignore_comments=*/true);
        } catch (const Json::parse_error& error) {
            if (!holds_only_comments(json_text)) {
                loaded.problems.push_back({source_name, syntax_problem(json_text, error)});
                return loaded;
            }
        } catch (const Json::exception& error) {  // e.g. a number too large for a double
            loaded.problems.push_back({source_name, reason_of(error)});
            return loaded;
        }
    }

    std::vector<AppliedOverride> overrides;
    if (root.is_object()) overrides = apply_environment_overrides(root, env, loaded.problems);
    std::vector<ConfigProblem> found;
    loaded.config = read_config(root, found);
    loaded.config.source = std::move(source_name);
    for (const AppliedOverride& applied : overrides) {
        // The page shows where the app comes from (config or environment), read only.
        if (applied.path == "spotify.client_id" || applied.path == "spotify") {
            loaded.config.spotify.client_id_from_environment = true;
        }
    }
    attribute_problems_to_overrides(found, overrides);
    loaded.problems.insert(loaded.problems.end(), found.begin(), found.end());
    return loaded;
}
}  // namespace

LoadedConfig parse_config(std::string_view json_text, const Environment& env,
                          std::string source_name) {
    LoadedConfig loaded = parse_config_text(json_text, env, std::move(source_name));
    // Messages quote the file (a syntax error shows the text around it) and the environment:
    // bytes that are not UTF-8 there must not make the message unprintable.
    for (ConfigProblem& problem : loaded.problems) {
        problem.path = valid_utf8(problem.path);
        problem.message = valid_utf8(problem.message);
    }
    return loaded;
}

std::vector<std::string> default_config_locations() {
    return {"./config/spotify2mqtt.json", "/etc/spotify2mqtt/config.json"};
}

LoadedConfig load_config(std::optional<std::string> cli_path, const Environment& env,
                         const std::vector<std::string>& default_locations) {
    LoadedConfig loaded;
    auto from_env = env.find(kConfigPathVariable);
    if (cli_path) {
        loaded = load_file(*cli_path, "--config", env);
    } else if (from_env != env.end() && !from_env->second.empty()) {
        loaded = load_file(from_env->second, kConfigPathVariable, env);
    } else {
        auto found = std::find_if(default_locations.begin(), default_locations.end(),
                                  [](const std::string& path) {
                                      std::error_code error;
                                      return fs::exists(path, error);
                                  });
        loaded = found != default_locations.end()
                     ? load_file(*found, nullptr, env)
                     : parse_config("", env, std::string(kBuiltInDefaultsSource));
    }
    check_readable(loaded.config.mqtt.ca_file, "mqtt.ca_file", loaded.problems);
    check_readable(loaded.config.spotify.ca_file, "spotify.ca_file", loaded.problems);
    return loaded;
}

Environment environment_from(char** envp) {
    Environment env;
    for (char** entry = envp; entry && *entry; ++entry) {
        std::string_view text(*entry);
        size_t equals = text.find('=');
        if (equals == std::string_view::npos) continue;
        env.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
    }
    return env;
}

std::string describe(const ConfigProblem& problem) {
    return problem.path.empty() ? problem.message : problem.path + ": " + problem.message;
}

}  // namespace s2m
