#include "model/BenchAccounts.h"

namespace s2m::bench {

namespace {
constexpr size_t kUsersPerApp = 5;
}

nlohmann::json accounts_over_apps(const test::FakeSpotifyClient& fake,
                                  const std::vector<std::string>& names) {
    nlohmann::json list = nlohmann::json::array();
    for (size_t i = 0; i < names.size(); ++i) {
        nlohmann::json entry = {{"name", names[i]}, {"refresh_token", "rt-" + names[i]}};
        if (i >= kUsersPerApp) {
            std::string app = "bench-app-" + std::to_string(i / kUsersPerApp);
            if (i % kUsersPerApp == 0)
                fake.register_app(app, app + "-secret", {"http://127.0.0.1:8888/callback"});
            entry["client_id"] = app;
            entry["client_secret"] = app + "-secret";
        }
        list.push_back(entry);
    }
    return list;
}

}  // namespace s2m::bench
