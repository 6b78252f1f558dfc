#include "adapters/store/FilePlayerMemoryStore.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "adapters/store/FileTokenStore.h"
#include "core/JsonFields.h"

namespace s2m {

namespace {

// Names come checked from the parser and the config; a path never leaves the folder anyway.
bool safe_part(const std::string& part) {
    return is_snapshot_name(part);
}

Status make_private_dir(const std::string& path) {
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
        return Error{ErrorKind::Internal, "cannot create " + path + ": " + std::strerror(errno)};
    return ok_status();
}

}  // namespace

FilePlayerMemoryStore::FilePlayerMemoryStore(std::string state_dir)
    : dir_(std::move(state_dir) + "/player") {}

std::string FilePlayerMemoryStore::snapshot_path(const std::string& account,
                                                 const std::string& name) const {
    return dir_ + "/" + account + "/snapshot-" + name + ".json";
}

std::string FilePlayerMemoryStore::mute_path(const std::string& account) const {
    return dir_ + "/" + account + "/mute.json";
}

void FilePlayerMemoryStore::report_once(const std::string& path, const std::string& problem) {
    if (!reported_.insert(path).second) return;
    spdlog::warn("{} cannot be read ({}); the bridge treats it as absent", path, problem);
}

std::optional<nlohmann::json> FilePlayerMemoryStore::read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;  // none kept: not a problem
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, false);
    if (json.is_discarded()) {
        report_once(path, "not JSON");
        return std::nullopt;
    }
    return json;
}

Status FilePlayerMemoryStore::write_json(const std::string& account, const std::string& path,
                                         const nlohmann::json& json) {
    if (auto made = make_private_dir(dir_); !made) return made;
    if (auto made = make_private_dir(dir_ + "/" + account); !made) return made;
    auto written = write_file_atomically(path, json.dump(2) + "\n", 0600);
    if (written) reported_.erase(path);  // a new file: its problems would be new ones
    return written;
}

std::optional<PlayerSnapshot> FilePlayerMemoryStore::load_snapshot(const std::string& account,
                                                                   const std::string& name) {
    if (!safe_part(account) || !safe_part(name)) return std::nullopt;
    std::string path = snapshot_path(account, name);
    auto json = read_json(path);
    if (!json) return std::nullopt;
    auto snapshot = snapshot_from_json(*json);
    if (!snapshot) {
        report_once(path, snapshot.error().message);
        return std::nullopt;
    }
    return snapshot.value();
}

Status FilePlayerMemoryStore::save_snapshot(const std::string& account, const std::string& name,
                                            const PlayerSnapshot& snapshot) {
    if (!safe_part(account) || !safe_part(name))
        return Error{ErrorKind::Internal, "not a snapshot name: " + name};
    return write_json(account, snapshot_path(account, name), to_json(snapshot));
}

std::optional<int> FilePlayerMemoryStore::load_muted_volume(const std::string& account) {
    if (!safe_part(account)) return std::nullopt;
    std::string path = mute_path(account);
    auto json = read_json(path);
    if (!json) return std::nullopt;
    const nlohmann::json* volume =
        json->is_object() && json->contains("volume") ? &(*json)["volume"] : nullptr;
    if (!volume || !volume->is_number_integer() || *volume < 0 || *volume > 100) {
        report_once(path, "no volume from 0 to 100");
        return std::nullopt;
    }
    return volume->get<int>();
}

Status FilePlayerMemoryStore::save_muted_volume(const std::string& account,
                                                std::optional<int> volume) {
    if (!safe_part(account)) return Error{ErrorKind::Internal, "not an account name: " + account};
    std::string path = mute_path(account);
    if (!volume) {
        std::error_code ignored;
        if (!std::filesystem::remove(path, ignored) && ignored)
            return Error{ErrorKind::Internal, "cannot remove " + path + ": " + ignored.message()};
        return ok_status();
    }
    return write_json(account, path, nlohmann::json{{"version", 1}, {"volume", *volume}});
}

void FilePlayerMemoryStore::forget_account(const std::string& account) {
    if (!safe_part(account)) return;
    std::error_code error;
    std::filesystem::remove_all(dir_ + "/" + account, error);
    if (error)
        spdlog::warn("{}: cannot remove what was kept of its player: {}", account, error.message());
}

}  // namespace s2m
