#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace s2m::test {

// A fresh private directory (mode 0700, from mkdtemp) under $TMPDIR or /tmp, removed with all its
// contents when the object is destroyed. Set S2M_KEEP_TEMP=1 to keep it for post-mortem debugging
// of a failing integration test (logs, configs, persistence files all live in these dirs).
class TempDir {
  public:
    explicit TempDir(std::string_view prefix = "s2m-it");
    ~TempDir();

    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    TempDir(TempDir&& other) noexcept;
    TempDir& operator=(TempDir&& other) noexcept;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

    // Writes (truncating) a file inside the directory and returns its path.
    std::filesystem::path write_file(std::string_view name, std::string_view content) const;

  private:
    void remove() noexcept;

    std::filesystem::path path_;
};

// Reads a whole file; returns "" when it does not exist (logs may not be created yet).
std::string read_file(const std::filesystem::path& path);

}  // namespace s2m::test
