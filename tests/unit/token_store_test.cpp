#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "adapters/store/FileTokenStore.h"
#include "core/Authorization.h"
#include "core/Scopes.h"

using namespace s2m;
namespace fs = std::filesystem;

namespace {
struct TempDir {
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "s2m-store-XXXXXX").string();
        path = mkdtemp(pattern.data());
    }
    ~TempDir() { fs::remove_all(path); }
    std::string path;
};

unsigned mode_of(const std::string& path) {
    struct stat st {};
    ::stat(path.c_str(), &st);
    return st.st_mode & 0777;
}

AccountRecord record(const std::string& name, const std::string& refresh) {
    AccountRecord r;
    r.name = name;
    r.refresh_token = refresh;
    r.access_token = "access-" + refresh;
    r.access_expires_at_ms = 1763796600123;
    r.linked_at_ms = 1763000000000;
    r.scope = "user-read-playback-state";
    r.user_id = "spotify-user";
    r.premium = true;
    return r;
}
}  // namespace

TEST_CASE("the store creates private directories and 0600 files", "[token_store]") {
    TempDir tmp;
    std::string state = tmp.path + "/state";
    FileTokenStore store(state);
    CHECK(mode_of(state) == 0700);
    CHECK(mode_of(state + "/accounts") == 0700);
    ::umask(0022);
    REQUIRE(store.save(record("alice", "rt-1")).ok());
    CHECK(mode_of(store.path_of("alice")) == 0600);
}

TEST_CASE("records round-trip and the newest save wins", "[token_store]") {
    TempDir tmp;
    FileTokenStore store(tmp.path);
    REQUIRE(store.save(record("alice", "rt-1")).ok());
    REQUIRE(store.save(record("bob", "rt-b")).ok());
    REQUIRE(store.save(record("alice", "rt-2")).ok());
    auto alice = store.load("alice");
    REQUIRE(alice);
    CHECK(alice->refresh_token == "rt-2");
    CHECK(alice->access_expires_at_ms == 1763796600123);
    CHECK(alice->premium == true);
    CHECK(alice->display_name == std::nullopt);
    auto all = store.load_all();
    REQUIRE(all.size() == 2);
    CHECK(all[0].name == "alice");
    CHECK(all[1].name == "bob");
    REQUIRE(store.remove("bob").ok());
    CHECK(store.load_all().size() == 1);
    CHECK(store.remove("nobody").ok());
}

TEST_CASE("the granted scopes are kept, a file written before them loads as the old list",
          "[token_store][scopes]") {
    TempDir tmp;
    FileTokenStore store(tmp.path);
    AccountRecord full = record("alice", "rt-1");
    full.scope = scope_string();
    REQUIRE(store.save(full).ok());
    CHECK(store.load("alice")->scope == scope_string());
    // Version 1 as written before scopes were recorded: no "scope" key at all.
    std::ofstream(store.path_of("old")) << R"({"version":1,"name":"old","refresh_token":"rt-o",
        "access_token":"at-o","access_expires_at_ms":1,"linked_at_ms":2,"user_id":"u"})";
    auto old = store.load("old");
    REQUIRE(old);
    CHECK(old->refresh_token == "rt-o");
    CHECK(old->scope.empty());
    CHECK(granted_scopes(old->scope) == scopes_before_2026_12());
}

TEST_CASE("a crash between writing and renaming leaves the old file intact", "[token_store]") {
    TempDir tmp;
    FileTokenStore store(tmp.path);
    REQUIRE(store.save(record("alice", "rt-old")).ok());
    // What a crash after write and before rename leaves behind: a half-written temp file.
    std::ofstream(store.path_of("alice") + ".tmp") << R"({"name":"alice","refresh_to)";
    auto alice = store.load("alice");
    REQUIRE(alice);
    CHECK(alice->refresh_token == "rt-old");
    CHECK(store.load_all().size() == 1);  // the temp file is not taken for an account
    REQUIRE(store.save(record("alice", "rt-new")).ok());  // and does not block the next save
    CHECK(store.load("alice")->refresh_token == "rt-new");
    CHECK_FALSE(fs::exists(store.path_of("alice") + ".tmp"));
}

TEST_CASE("an unreadable record is kept on disk and reads as not linked", "[token_store]") {
    TempDir tmp;
    FileTokenStore store(tmp.path);
    std::ofstream(store.path_of("carol")) << "{ not json";
    CHECK_FALSE(store.load("carol"));
    CHECK(fs::exists(store.path_of("carol")));
    std::ofstream(store.path_of("dave")) << R"({"refresh_token": 12})";
    CHECK_FALSE(store.load("dave"));
}

TEST_CASE("an unusable state_dir is refused with a sentence", "[token_store]") {
    TempDir tmp;
    std::ofstream(tmp.path + "/file") << "x";
    CHECK_THROWS_WITH(FileTokenStore(tmp.path + "/file"), Catch::Contains("not a directory"));
}

TEST_CASE("a token file or directory open to others is restricted when read", "[token_store]") {
    TempDir tmp;
    std::string state = tmp.path + "/state";
    {
        FileTokenStore store(state);
        REQUIRE(store.save(record("alice", "rt-1")).ok());
    }
    ::chmod(state.c_str(), 0755);
    ::chmod((state + "/accounts/alice.json").c_str(), 0644);
    FileTokenStore store(state);
    CHECK(mode_of(state) == 0700);
    auto loaded = store.load("alice");
    REQUIRE(loaded);
    CHECK(loaded->refresh_token == "rt-1");
    CHECK(mode_of(store.path_of("alice")) == 0600);
}
