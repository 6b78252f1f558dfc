// A bridge with one healthy account ("demo") and any number of accounts whose Spotify calls
// hang: some from the config, one linked on the account page at run time (the page's accounts
// are the ones a pool sized from the config forgot). Shared by the isolation test and
// bench/isolation_bench. Set-up failures throw std::runtime_error with what went wrong.
#pragma once

#include <httplib.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "BridgeWorld.h"
#include "core/Encoding.h"

namespace s2m::test {

class HangingAccountsWorld : public BridgeWorld {
  public:
    static constexpr const char* kHealthy = "demo";
    static constexpr const char* kLinkedName = "linked";
    static constexpr const char* kLinkedUser = "linked-id";

    // `hanging` accounts besides "demo": the first linked on the page, the rest (hang1, …) in
    // the config. Polls every `playing_interval_s` while playing, with a pace so generous that
    // the rate-limit gate never holds a poll back: what is measured is the isolation. The
    // broker sends without Nagle's delay (as in command_bench's second table), which would
    // otherwise add its ~40 ms to every answer.
    explicit HangingAccountsWorld(int hanging, int playing_interval_s = 1)
        : BridgeWorld(MosquittoOptions{.tcp_nodelay = true}) {
        std::vector<std::string> config_names{kHealthy};
        for (int i = 1; i < hanging; ++i) config_names.push_back("hang" + std::to_string(i));
        Json accounts = Json::array();
        for (const auto& name : config_names) {
            fake.create_user(short_playlist_user(name, 3600000));  // no track change meanwhile
            accounts.push_back({{"name", name}, {"refresh_token", "rt-" + name}});
            if (name != kHealthy) hanging_users_.push_back(name);
        }
        start_bridge(
            {{"accounts", accounts},
             {"polling",
              {{"playing_interval_s", playing_interval_s}, {"max_requests_per_minute", 6000}}}},
            /*web=*/true);
        if (hanging > 0) {
            fake.create_user(short_playlist_user(kLinkedUser, 3600000));
            link_on_page(kLinkedName, kLinkedUser);
            hanging_users_.push_back(kLinkedUser);
        }
        for (const auto& name : account_names()) {
            if (!wait_state(
                    name, [](const Json& s) { return s["state"] == "playing"; }, 15s))
                throw std::runtime_error(name + " never showed its playback\n" + bridge_log());
        }
    }

    // The accounts' names on MQTT, healthy first.
    std::vector<std::string> account_names() const {
        std::vector<std::string> names{kHealthy};
        for (const auto& user : hanging_users_)
            names.push_back(user == kLinkedUser ? kLinkedName : user);
        return names;
    }
    std::vector<std::string> hanging_accounts() const {
        auto names = account_names();
        return {names.begin() + 1, names.end()};
    }

    // From now on every Web API call (/v1/me/…) of the hanging accounts takes `delay_ms`
    // (longer than the bridge's 10 s timeout by default).
    void hang_all(int64_t delay_ms = 15000) {
        for (const auto& user : hanging_users_) {
            fault_ids_.push_back(fake.add_fault({{"path_prefix", "/v1/me"},
                                                 {"user", user},
                                                 {"delay_ms", delay_ms},
                                                 {"count", -1}}));
        }
    }

    // Waits until each hanging account has at least `requests` calls held by the fake.
    bool wait_held(int64_t requests, std::chrono::milliseconds timeout) const {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            bool all = !fault_ids_.empty();
            for (const Json& fault : fake.faults()) {
                bool ours = std::find(fault_ids_.begin(), fault_ids_.end(),
                                      fault["id"].get<int64_t>()) != fault_ids_.end();
                if (ours && fault["held"].get<int64_t>() < requests) all = false;
            }
            if (all) return true;
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(50ms);
        }
    }

    // A volume command for each hanging account: their command jobs hang as well.
    void command_hanging_accounts() {
        for (const auto& name : hanging_accounts())
            probe.publish("spotify2mqtt/" + name + "/set", R"({"volume":33})", 1);
    }

  private:
    // The page's "Link" button, Spotify's consent as `user`, and the redirect back.
    void link_on_page(const std::string& account, const std::string& user) {
        fake.register_app("fake-client-id", "fake-client-secret", {bridge->redirect_uri()});
        httplib::Client web(bridge->web_url());
        web.set_read_timeout(30, 0);
        auto pressed = web.Post("/link", httplib::Params{{"account", account}});
        if (!pressed || pressed->status != 303)
            throw std::runtime_error("POST /link failed\n" + bridge_log());
        std::string consent = pressed->get_header_value("Location");
        auto query = s2m::parse_query(consent.substr(consent.find('?') + 1));
        if (!query) throw std::runtime_error("no query in " + consent);
        std::map<std::string, std::string> q(query->begin(), query->end());
        Json answer = fake.agree_as(user, q);
        std::string location = answer["location"];
        size_t path_start = location.find('/', location.find("://") + 3);
        auto landed = web.Get(location.substr(path_start));
        if (!landed || landed->status != 200)
            throw std::runtime_error("the link callback failed\n" + bridge_log());
    }

    std::vector<std::string> hanging_users_;  // fake user ids (config names double as ids)
    std::vector<int64_t> fault_ids_;
};

}  // namespace s2m::test
