#include "adapters/store/FileHabitsStore.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "adapters/store/FileTokenStore.h"
#include "core/PlayerSnapshot.h"

namespace s2m {

FileHabitsStore::FileHabitsStore(std::string state_dir) : dir_(std::move(state_dir) + "/habits") {}

std::string FileHabitsStore::path_of(const std::string& account) const {
    return dir_ + "/" + account + ".json";
}

void FileHabitsStore::drop(const std::string& path, const std::string& problem) {
    spdlog::warn(
        "{} is not usable ({}); removed, the account's listening habits are learned "
        "afresh",
        path, problem);
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
}

std::optional<ListeningHabits> FileHabitsStore::load(const std::string& account) {
    if (!is_snapshot_name(account)) return std::nullopt;  // same rule: a file name part
    const std::string path = path_of(account);
    std::error_code error;
    auto size = std::filesystem::file_size(path, error);
    if (error) return std::nullopt;  // none kept yet
    if (size > kMaxHabitsFileBytes) {
        drop(path, "larger than " + std::to_string(kMaxHabitsFileBytes) + " bytes");
        return std::nullopt;
    }
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, false);
    if (json.is_discarded()) {
        drop(path, "not JSON");
        return std::nullopt;
    }
    auto habits = ListeningHabits::from_json(json);
    if (!habits) {
        drop(path, habits.error().message);
        return std::nullopt;
    }
    return habits.value();
}

Status FileHabitsStore::save(const std::string& account, const ListeningHabits& habits) {
    if (!is_snapshot_name(account))
        return Error{ErrorKind::Internal, "not an account name: " + account};
    if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST)
        return Error{ErrorKind::Internal, "cannot create " + dir_ + ": " + std::strerror(errno)};
    return write_file_atomically(path_of(account), habits.to_json().dump() + "\n", 0600);
}

void FileHabitsStore::forget(const std::string& account) {
    if (!is_snapshot_name(account)) return;
    std::error_code error;
    std::filesystem::remove(path_of(account), error);
    if (error) spdlog::warn("{}: cannot remove its listening habits: {}", account, error.message());
}

}  // namespace s2m
