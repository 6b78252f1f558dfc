#include "adapters/store/FileAppStore.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/store/FileTokenStore.h"

namespace s2m {

FileAppStore::FileAppStore(const std::string& state_dir) : path_(state_dir + "/spotify_app.json") {}

std::optional<StoredApp> FileAppStore::load() const {
    std::ifstream in(path_);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    auto json = nlohmann::json::parse(text.str(), nullptr, false);
    const bool readable = json.is_object() && json.contains("client_id") &&
                          json["client_id"].is_string() &&
                          (!json.contains("client_secret") || json["client_secret"].is_null() ||
                           json["client_secret"].is_string());
    if (!readable) {
        spdlog::error(
            "{} is unreadable; enter the Spotify app on the account page again (the file is "
            "kept)",
            path_);
        return std::nullopt;
    }
    StoredApp app;
    app.client_id = json["client_id"].get<std::string>();
    if (json.contains("client_secret") && json["client_secret"].is_string()) {
        app.client_secret = json["client_secret"].get<std::string>();
    }
    return app;
}

Status FileAppStore::save(const StoredApp& app) const {
    nlohmann::json json{{"version", 1}, {"client_id", app.client_id}};
    json["client_secret"] =
        app.client_secret ? nlohmann::json(*app.client_secret) : nlohmann::json(nullptr);
    return write_file_atomically(path_, json.dump(2) + "\n", 0600);
}

}  // namespace s2m
