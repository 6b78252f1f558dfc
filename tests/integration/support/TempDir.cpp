#include "support/TempDir.h"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

namespace s2m::test {

TempDir::TempDir(std::string_view prefix) {
    const char* tmp = std::getenv("TMPDIR");
    std::filesystem::path base = (tmp != nullptr && *tmp != '\0') ? tmp : "/tmp";
    std::string templ = (base / (std::string(prefix) + "-XXXXXX")).string();
    std::vector<char> buffer(templ.begin(), templ.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
        throw std::system_error(errno, std::generic_category(), "mkdtemp " + templ);
    }
    path_ = buffer.data();
}

TempDir::~TempDir() {
    remove();
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
    if (this != &other) {
        remove();
        path_ = std::exchange(other.path_, {});
    }
    return *this;
}

std::filesystem::path TempDir::write_file(std::string_view name, std::string_view content) const {
    std::filesystem::path file = path_ / name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
    return file;
}

void TempDir::remove() noexcept {
    if (path_.empty()) return;
    const char* keep = std::getenv("S2M_KEEP_TEMP");
    if (keep == nullptr || *keep == '\0' || std::string_view(keep) == "0") {
        std::error_code ignored;  // a destructor must not throw; a leftover dir in /tmp is harmless
        std::filesystem::remove_all(path_, ignored);
    }
    path_.clear();
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace s2m::test
