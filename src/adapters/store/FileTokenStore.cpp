#include "adapters/store/FileTokenStore.h"

#include "config/ConfigChecks.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "core/JsonFields.h"

namespace s2m {

namespace {

std::string errno_text() {
    return std::strerror(errno);
}

void ensure_private_dir(const std::string& path) {
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
        throw std::runtime_error("cannot create " + path + ": " + errno_text());
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        throw std::runtime_error(path + " is not a directory");
    }
    if ((st.st_mode & 077) == 0) return;
    // It holds the tokens: only the bridge's user may look inside.
    if (::chmod(path.c_str(), 0700) != 0) {
        spdlog::warn(
            "{} is open to other users (mode {:04o}) and could not be restricted to 0700: "
            "{}; run `chmod 700 {}`",
            path, st.st_mode & 07777, errno_text(), path);
    } else {
        spdlog::warn("{} was open to other users (mode {:04o}); restricted it to 0700", path,
                     st.st_mode & 07777);
    }
}

std::string read_all(int fd) {
    std::string text;
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0) text.append(buffer, static_cast<size_t>(n));
    }
    return text;
}

bool write_all(int fd, const std::string& content) {
    size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

nlohmann::json to_json(const AccountRecord& r) {
    nlohmann::json j{{"version", 1},
                     {"name", r.name},
                     {"refresh_token", r.refresh_token},
                     {"access_token", r.access_token},
                     {"access_expires_at_ms", r.access_expires_at_ms},
                     {"linked_at_ms", r.linked_at_ms},
                     {"scope", r.scope}};
    j["user_id"] = r.user_id ? nlohmann::json(*r.user_id) : nlohmann::json(nullptr);
    j["display_name"] = r.display_name ? nlohmann::json(*r.display_name) : nlohmann::json(nullptr);
    j["premium"] = r.premium ? nlohmann::json(*r.premium) : nlohmann::json(nullptr);
    j["client_id"] = r.client_id ? nlohmann::json(*r.client_id) : nlohmann::json(nullptr);
    return j;
}

AccountRecord from_json(const nlohmann::json& j) {
    AccountRecord r;
    r.name = opt_string(j, "name", "").value_or("");
    r.refresh_token = opt_string(j, "refresh_token", "").value_or("");
    r.access_token = opt_string(j, "access_token", "").value_or("");
    r.access_expires_at_ms = opt_int(j, "access_expires_at_ms", "").value_or(0);
    r.linked_at_ms = opt_int(j, "linked_at_ms", "").value_or(0);
    r.scope = opt_string(j, "scope", "").value_or("");
    r.user_id = opt_string(j, "user_id", "");
    r.display_name = opt_string(j, "display_name", "");
    r.premium = opt_bool(j, "premium", "");
    r.client_id = opt_string(j, "client_id", "");
    return r;
}

}  // namespace

Status write_file_atomically(const std::string& path, const std::string& content, unsigned mode) {
    std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return Error{ErrorKind::Internal, "cannot write " + tmp + ": " + errno_text()};
    ::fchmod(fd, mode);  // O_CREAT's mode is filtered by the umask; tokens must be exactly 0600
    bool written = write_all(fd, content) && ::fsync(fd) == 0;
    int saved = errno;
    ::close(fd);
    if (!written) {
        ::unlink(tmp.c_str());
        return Error{ErrorKind::Internal, "cannot write " + tmp + ": " + std::strerror(saved)};
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        saved = errno;
        ::unlink(tmp.c_str());
        return Error{ErrorKind::Internal, "cannot replace " + path + ": " + std::strerror(saved)};
    }
    auto slash = path.find_last_of('/');
    std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        ::fsync(dir_fd);  // makes the rename itself durable
        ::close(dir_fd);
    }
    return ok_status();
}

FileTokenStore::FileTokenStore(std::string state_dir) : dir_(std::move(state_dir) + "/accounts") {
    ensure_private_dir(dir_.substr(0, dir_.size() - 9));
    ensure_private_dir(dir_);
}

std::string FileTokenStore::path_of(const std::string& name) const {
    return dir_ + "/" + name + ".json";
}

// A token file others can read (copied in by hand, restored from a backup) is made 0600 again.
void FileTokenStore::restrict_if_open(int fd, const std::string& file) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || (st.st_mode & 077) == 0) return;
    unsigned mode = st.st_mode & 07777;
    if (::fchmod(fd, 0600) == 0) {
        spdlog::warn(
            "token store: {} was readable by other users (mode {:04o}); restricted it "
            "to 0600",
            file, mode);
        return;
    }
    char text[8];
    std::snprintf(text, sizeof text, "%04o", mode);
    report_once(file, std::string("is readable by other users (mode ") + text +
                          ") and could not be restricted (" + errno_text() + "); run `chmod 600 " +
                          file + "`");
}

std::optional<AccountRecord> FileTokenStore::load(const std::string& name) {
    int fd = ::open(path_of(name).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    restrict_if_open(fd, path_of(name));
    std::string text = read_all(fd);
    ::close(fd);
    auto json = nlohmann::json::parse(text, nullptr, false);
    try {
        if (json.is_discarded()) throw FieldError("not JSON");
        AccountRecord record = from_json(json);
        record.name = name;  // the file name is authoritative
        return record;
    } catch (const FieldError& e) {
        // Keep the file: a person may repair it; the account shows as not linked meanwhile.
        report_once(path_of(name), std::string("is unreadable (") + e.what() +
                                       "); the account is treated as not linked");
        return std::nullopt;
    }
}

void FileTokenStore::report_once(const std::string& file, const std::string& problem) {
    std::lock_guard lock(mutex_);
    if (reported_.insert(file + problem).second) spdlog::error("token store: {} {}", file, problem);
}

std::vector<AccountRecord> FileTokenStore::load_all() {
    std::vector<AccountRecord> records;
    DIR* dir = ::opendir(dir_.c_str());
    if (!dir) return records;
    while (dirent* entry = ::readdir(dir)) {
        std::string file = entry->d_name;
        if (file.size() <= 5 || !file.ends_with(".json")) continue;
        std::string name = file.substr(0, file.size() - 5);
        if (auto problem = check_account_name(name)) {
            report_once(dir_ + "/" + file, "is ignored: the account name " + *problem);
            continue;
        }
        if (auto record = load(name)) records.push_back(*record);
    }
    ::closedir(dir);
    std::sort(records.begin(), records.end(),
              [](const AccountRecord& a, const AccountRecord& b) { return a.name < b.name; });
    return records;
}

Status FileTokenStore::save(const AccountRecord& record) {
    return write_file_atomically(path_of(record.name), to_json(record).dump(2) + "\n", 0600);
}

Status FileTokenStore::remove(const std::string& name) {
    if (::unlink(path_of(name).c_str()) != 0 && errno != ENOENT) {
        return Error{ErrorKind::Internal, "cannot remove " + path_of(name) + ": " + errno_text()};
    }
    return ok_status();
}

}  // namespace s2m
