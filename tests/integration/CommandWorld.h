// A BridgeWorld with one account and helpers to send commands the way Home Assistant and
// mosquitto_pub do, and to read back the one response and the HTTP calls the fake received.
#pragma once

#include <catch2/catch.hpp>

#include "BridgeWorld.h"
#include "core/Encoding.h"

namespace s2m::test {

struct SpotifyCall {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;  // decoded
    Json body;                                 // null when there was none

    std::string describe() const {
        std::string text = method + " " + path;
        for (const auto& [k, v] : query) text += " " + k + "=" + v;
        if (!body.is_null()) text += " " + body.dump();
        return text;
    }
};

struct CommandResult {
    std::optional<Json> response;    // the first response
    size_t responses = 0;            // how many arrived (one, always)
    std::vector<SpotifyCall> calls;  // the player/library calls it caused (reads left out)
};

class CommandWorld : public BridgeWorld {
  public:
    std::string account;

    explicit CommandWorld(const Json& user, const std::string& name = "alice",
                          Json overrides = Json::object())
        : account(name) {
        fake.create_user(user);
        Json config = BridgeWorld::accounts({name});
        config["accounts"][0]["refresh_token"] = user["refresh_token"];
        config.merge_patch(overrides);
        start_bridge(config);
    }

    std::string topic(const std::string& suffix) const {
        return "spotify2mqtt/" + account + (suffix.empty() ? "" : "/" + suffix);
    }

    // Publishes `payload` on <base>/<account>/<suffix>, waits for the response and a little
    // longer (a second response would be a bug), and collects the calls the fake received.
    CommandResult send(const std::string& suffix, const std::string& payload,
                       std::chrono::milliseconds settle = 300ms) {
        int64_t since = fake.last_seq();
        probe.clear();
        probe.publish(topic(suffix), payload, 1);
        CommandResult result;
        auto first = probe.wait_for(topic("response"), nullptr, 10s);
        if (first) result.response = first->json();
        std::this_thread::sleep_for(settle);
        result.responses = probe.messages(topic("response")).size();
        for (const Json& entry : fake.requests(since)) {
            std::string path = entry["path"];
            std::string method = entry["method"];
            if (method == "GET" || path == "/api/token") continue;
            SpotifyCall call{method, path, {}, Json()};
            auto query = s2m::parse_query(entry["query"].get<std::string>());
            if (query)
                for (auto& [k, v] : *query) call.query[k] = v;
            std::string body = entry["body"];
            if (!body.empty()) call.body = Json::parse(body, nullptr, false);
            result.calls.push_back(call);
        }
        return result;
    }

    CommandResult set(const Json& command) { return send("set", command.dump()); }

    // GET requests to `path` the fake logged since `since`.
    size_t reads_of(const std::string& path, int64_t since) const {
        return fake.requests_to("GET", path, since).size();
    }
};

inline std::string describe(const CommandResult& result) {
    std::string text =
        "response: " + (result.response ? result.response->dump() : "none") + "\ncalls:";
    for (const auto& call : result.calls) text += "\n  " + call.describe();
    return text;
}

}  // namespace s2m::test
