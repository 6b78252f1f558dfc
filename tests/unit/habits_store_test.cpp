// FileHabitsStore: each account's listening habits in a real file below state_dir/habits, 0600
// and atomic; a broken or oversized file is removed and reads as nothing kept, never a throw.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "adapters/store/FileHabitsStore.h"

using namespace s2m;
namespace fs = std::filesystem;

namespace {

struct HabitsFolder {
    HabitsFolder() {
        std::string pattern = (fs::temp_directory_path() / "s2m-habits-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~HabitsFolder() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    std::string path;
};

ListeningHabits some_habits() {
    ListeningHabits habits;
    const int64_t monday = 1767571200000;
    for (int d = 0; d < 5; ++d) {
        for (int h = 0; h < 24; ++h) {
            int64_t at = monday + (d * 24 + h) * 3600000LL;
            habits.watched(at, at + 3600000, true, true);
        }
        habits.started(monday + (d * 24 + 8) * 3600000LL);
    }
    return habits;
}

void write(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
}

}  // namespace

TEST_CASE("habits are kept per account in a private file and read back", "[habits_store]") {
    HabitsFolder dir;
    FileHabitsStore store(dir.path);
    CHECK_FALSE(store.load("anna").has_value());  // nothing kept yet
    ListeningHabits habits = some_habits();
    REQUIRE(store.save("anna", habits).ok());
    struct stat info {};
    REQUIRE(::stat(store.path_of("anna").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    REQUIRE(::stat((dir.path + "/habits").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
    CHECK(fs::file_size(store.path_of("anna")) < kMaxHabitsFileBytes);
    auto back = store.load("anna");
    REQUIRE(back.has_value());
    CHECK(back->starts_seen() == Approx(habits.starts_seen()).epsilon(0.01));
    CHECK(back->start_rates()[8] == Approx(habits.start_rates()[8]).epsilon(0.01));
    // No temp file is left behind.
    int files = 0;
    for (const auto& entry : fs::directory_iterator(dir.path + "/habits"))
        files += entry.is_regular_file();
    CHECK(files == 1);
    store.forget("anna");
    CHECK_FALSE(fs::exists(store.path_of("anna")));
    CHECK_FALSE(store.save("../escape", habits).ok());
}

TEST_CASE("a broken or oversized habits file is removed and learned afresh", "[habits_store]") {
    HabitsFolder dir;
    FileHabitsStore store(dir.path);
    REQUIRE(store.save("bob", some_habits()).ok());
    for (const std::string& text : {std::string("{not json"), std::string("{\"version\":1}"),
                                    std::string("{\"version\":\"2\"}"), std::string("[]"),
                                    std::string(kMaxHabitsFileBytes + 1, ' ')}) {
        write(store.path_of("bob"), text);
        CHECK_FALSE(store.load("bob").has_value());
        CHECK_FALSE(fs::exists(store.path_of("bob")));  // removed: said once, not at every start
    }
    // And learning goes on: the next save writes a good file again.
    REQUIRE(store.save("bob", some_habits()).ok());
    CHECK(store.load("bob").has_value());
}
