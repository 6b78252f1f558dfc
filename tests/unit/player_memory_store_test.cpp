// FilePlayerMemoryStore: snapshots and the muted volume in real files below state_dir/player
// (not accounts/), 0600 and atomic; a broken file reads as absent and never throws.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "adapters/store/FilePlayerMemoryStore.h"

using namespace s2m;
namespace fs = std::filesystem;

namespace {

// A fresh state_dir under /tmp, removed with everything in it at the end of the test.
struct StateFolder {
    StateFolder() {
        std::string pattern = (fs::temp_directory_path() / "s2m-memory-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~StateFolder() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    std::string path;
};

PlayerSnapshot paused_snapshot() {
    PlayerSnapshot s;
    s.state = PlayerState::Paused;
    s.device_id = "kit";
    s.device_name = "Kitchen";
    s.context_uri = "spotify:album:a1";
    s.item_uri = "spotify:track:t2";
    s.position_ms = 61000;
    s.volume = 35;
    s.shuffle = false;
    s.repeat = "off";
    s.taken_at_ms = 1763796600000;
    return s;
}

unsigned memory_mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::trunc) << text;
}

}  // namespace

TEST_CASE("snapshots and the muted volume survive a new store on the same folder",
          "[player_memory]") {
    StateFolder dir;
    std::string state = dir.path;
    {
        FilePlayerMemoryStore store(state);
        REQUIRE(store.save_snapshot("alice", "doorbell", paused_snapshot()).ok());
        REQUIRE(store.save_muted_volume("alice", 60).ok());
    }
    FilePlayerMemoryStore store(state);
    CHECK(store.load_snapshot("alice", "doorbell") == paused_snapshot());
    CHECK_FALSE(store.load_snapshot("alice", "default"));
    CHECK_FALSE(store.load_snapshot("bob", "doorbell"));
    CHECK(store.load_muted_volume("alice") == 60);
    CHECK_FALSE(store.load_muted_volume("bob"));

    std::string file = store.snapshot_path("alice", "doorbell");
    CHECK(file == state + "/player/alice/snapshot-doorbell.json");
    CHECK(memory_mode_of(file) == 0600);
    CHECK(memory_mode_of(state + "/player/alice") == 0700);
    CHECK_FALSE(fs::exists(state + "/accounts"));  // the token store's folder stays its own
    CHECK_FALSE(fs::exists(file + ".tmp"));

    REQUIRE(store.save_muted_volume("alice", std::nullopt).ok());
    CHECK_FALSE(store.load_muted_volume("alice"));
    CHECK_FALSE(fs::exists(store.mute_path("alice")));
    store.forget_account("alice");
    CHECK_FALSE(store.load_snapshot("alice", "doorbell"));
}

TEST_CASE("a broken snapshot or mute file reads as absent, and a new save replaces it",
          "[player_memory]") {
    StateFolder dir;
    FilePlayerMemoryStore store(dir.path);
    REQUIRE(store.save_snapshot("alice", "a", paused_snapshot()).ok());
    REQUIRE(store.save_muted_volume("alice", 60).ok());
    for (const char* broken :
         {"", "{", "null", "[1,2]", R"({"version":1,"state":"paused"})", "\xff\xfe garbage"}) {
        INFO(broken);
        write_text(store.snapshot_path("alice", "a"), broken);
        write_text(store.mute_path("alice"), broken);
        CHECK_FALSE(store.load_snapshot("alice", "a"));
        CHECK_FALSE(store.load_muted_volume("alice"));
    }
    write_text(store.mute_path("alice"), R"({"version":1,"volume":101})");
    CHECK_FALSE(store.load_muted_volume("alice"));
    REQUIRE(store.save_snapshot("alice", "a", paused_snapshot()).ok());
    CHECK(store.load_snapshot("alice", "a") == paused_snapshot());
    // Names that are not names never become paths.
    CHECK_FALSE(store.load_snapshot("alice", "../../accounts/alice"));
    CHECK_FALSE(store.save_snapshot("alice", "../x", paused_snapshot()).ok());
}
