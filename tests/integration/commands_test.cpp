// docs/mqtt-commands.md#keys through the real binary: every /set key in both forms makes exactly
// the Web API call of the reference (method, path, query, body), answers once on
// <base>/<account>/response, echoes the transaction, and shows in the account state.
#include <thread>

#include "CommandWorld.h"

using namespace s2m::test;

namespace {

struct Expected {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query = {};
    Json body = nullptr;
};

void check_calls(const CommandResult& result, const std::vector<Expected>& expected) {
    INFO(describe(result));
    REQUIRE(result.calls.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        CHECK(result.calls[i].method == expected[i].method);
        CHECK(result.calls[i].path == expected[i].path);
        CHECK(result.calls[i].query == expected[i].query);
        CHECK(result.calls[i].body == expected[i].body);
    }
}

void check_ok(const CommandResult& result) {
    INFO(describe(result));
    REQUIRE(result.response);
    CHECK((*result.response)["status"] == "ok");
    CHECK(result.responses == 1);
}

void check_error(const CommandResult& result, const std::string& reason) {
    INFO(describe(result));
    REQUIRE(result.response);
    CHECK((*result.response)["status"] == "error");
    CHECK((*result.response)["reason"] == reason);
    CHECK((*result.response)["error"].get<std::string>().size() > 10);
    CHECK(result.responses == 1);
}

Json playing_user(const std::string& id) {
    return short_playlist_user(id, 120000);
}

}  // namespace

TEST_CASE("every command key in both forms makes exactly the reference's Spotify call",
          "[commands]") {
    CommandWorld world(playing_user("alice"));
    REQUIRE(world.wait_state("alice", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(world.bridge_log());
    const std::string player = "/v1/me/player";

    struct Case {
        std::string suffix;
        std::string payload;
        std::vector<Expected> calls;
        std::function<bool(const Json&)> state;  // the state that must follow, if any
    };
    const std::vector<Case> cases = {
        {"set",
         R"({"volume":40})",
         {{"PUT", player + "/volume", {{"volume_percent", "40"}}}},
         [](const Json& s) { return s["volume"] == 40; }},
        {"set/volume",
         "55.0",
         {{"PUT", player + "/volume", {{"volume_percent", "55"}}}},
         [](const Json& s) { return s["volume"] == 55; }},
        {"set",
         R"({"shuffle":true})",
         {{"PUT", player + "/shuffle", {{"state", "true"}}}},
         [](const Json& s) { return s["shuffle"] == true; }},
        {"set/shuffle",
         "OFF",
         {{"PUT", player + "/shuffle", {{"state", "false"}}}},
         [](const Json& s) { return s["shuffle"] == false; }},
        {"set",
         R"({"repeat":"track"})",
         {{"PUT", player + "/repeat", {{"state", "track"}}}},
         [](const Json& s) { return s["repeat"] == "track"; }},
        {"set/repeat",
         "off",
         {{"PUT", player + "/repeat", {{"state", "off"}}}},
         [](const Json& s) { return s["repeat"] == "off"; }},
        {"set",
         R"({"position_ms":30000})",
         {{"PUT", player + "/seek", {{"position_ms", "30000"}}}},
         [](const Json& s) { return s["position_ms"] >= 30000 && s["position_ms"] < 40000; }},
        {"set/position_ms",
         "1000",
         {{"PUT", player + "/seek", {{"position_ms", "1000"}}}},
         [](const Json& s) { return s["position_ms"] < 10000; }},
        {"set",
         R"({"command":"pause"})",
         {{"PUT", player + "/pause"}},
         [](const Json& s) { return s["state"] == "paused"; }},
        {"set/command",
         "play",
         {{"PUT", player + "/play"}},
         [](const Json& s) { return s["state"] == "playing"; }},
        {"set",
         R"({"command":"toggle"})",
         {{"PUT", player + "/pause"}},
         [](const Json& s) { return s["state"] == "paused"; }},
        {"set/command",
         "TOGGLE",
         {{"PUT", player + "/play"}},
         [](const Json& s) { return s["state"] == "playing"; }},
        {"set",
         R"({"command":"next"})",
         {{"POST", player + "/next"}},
         [](const Json& s) { return s["track"]["name"] == "Short 2"; }},
        {"set/command", "previous", {{"POST", player + "/previous"}}, nullptr},
        {"set",
         R"({"queue":"spotify:track:shortalice3"})",
         {{"POST", player + "/queue", {{"uri", "spotify:track:shortalice3"}}}},
         nullptr},
        {"set/queue",
         "https://open.spotify.com/track/shortalice2?si=abc123",
         {{"POST", player + "/queue", {{"uri", "spotify:track:shortalice2"}}}},
         nullptr},
        {"set",
         R"({"play":"spotify:track:shortalice2"})",
         {{"PUT", player + "/play", {}, {{"uris", {"spotify:track:shortalice2"}}}}},
         [](const Json& s) { return s["track"]["uri"] == "spotify:track:shortalice2"; }},
        {"set",
         R"({"like":true})",
         {{"PUT", "/v1/me/library", {{"uris", "spotify:track:shortalice2"}}}},
         nullptr},
        {"set/like",
         "off",
         {{"DELETE", "/v1/me/library", {{"uris", "spotify:track:shortalice2"}}}},
         nullptr},
        {"set/play",
         "https://open.spotify.com/intl-de/playlist/quickalice?si=x1",
         {{"PUT", player + "/play", {}, {{"context_uri", "spotify:playlist:quickalice"}}}},
         [](const Json& s) { return s["track"]["name"] == "Short 1"; }},
        {"set",
         R"({"play":{"uri":"spotify:playlist:quickalice","offset":2,"position_ms":5000}})",
         {{"PUT",
           player + "/play",
           {},
           {{"context_uri", "spotify:playlist:quickalice"},
            {"offset", {{"position", 2}}},
            {"position_ms", 5000}}}},
         [](const Json& s) { return s["track"]["name"] == "Short 3"; }},
        {"set/play",
         R"({"uris":["spotify:track:shortalice1","spotify:track:shortalice2"],
             "offset":"spotify:track:shortalice2"})",
         {{"PUT",
           player + "/play",
           {},
           {{"uris", {"spotify:track:shortalice1", "spotify:track:shortalice2"}},
            {"offset", {{"uri", "spotify:track:shortalice2"}}}}}},
         [](const Json& s) { return s["track"]["name"] == "Short 2"; }},
        {"set",
         R"({"play":"liked"})",
         {{"PUT", player + "/play", {}, {{"context_uri", "spotify:user:alice:collection"}}}},
         [](const Json& s) { return s["context"]["type"] == "collection"; }},
        {"set",
         R"({"playlist":"Quick ones"})",
         {{"PUT", player + "/play", {}, {{"context_uri", "spotify:playlist:quickalice"}}}},
         [](const Json& s) { return s["context"]["uri"] == "spotify:playlist:quickalice"; }},
        {"set/playlist",
         "QUICK ONES",
         {{"PUT", player + "/play", {}, {{"context_uri", "spotify:playlist:quickalice"}}}},
         nullptr},
        {"set",
         R"({"device":"Fake Phone"})",
         {{"PUT", player, {}, {{"device_ids", {"fake-device-phone"}}, {"play", true}}}},
         [](const Json& s) { return s["device"]["name"] == "Fake Phone"; }},
        {"set/device",
         "fake-device-speaker",
         {{"PUT", player, {}, {{"device_ids", {"fake-device-speaker"}}, {"play", true}}}},
         [](const Json& s) { return s["device"]["name"] == "Fake Speaker"; }},
    };

    for (const Case& c : cases) {
        INFO(c.suffix << " <- " << c.payload);
        CommandResult result = world.send(c.suffix, c.payload);
        check_ok(result);
        check_calls(result, c.calls);
        if (c.state) CHECK(world.wait_state("alice", c.state, 5s));
    }

    SECTION("combined keys run in the documented order; the transaction comes back as given") {
        CommandResult result = world.set({{"command", "pause"},
                                          {"volume", 30},
                                          {"device", "fake phone"},
                                          {"transaction", {{"n", 1}}}});
        check_ok(result);
        CHECK((*result.response)["transaction"] == Json{{"n", 1}});
        check_calls(result,
                    {{"PUT", player, {}, {{"device_ids", {"fake-device-phone"}}, {"play", true}}},
                     {"PUT", player + "/volume", {{"volume_percent", "30"}}},
                     {"PUT", player + "/pause"}});
        CHECK(world.wait_state("alice", [](const Json& s) {
            return s["state"] == "paused" && s["volume"] == 30 &&
                   s["device"]["name"] == "Fake Phone";
        }));
        result = world.set({{"volume", 31}, {"transaction", "t-31"}});
        check_ok(result);
        CHECK((*result.response) == Json{{"status", "ok"}, {"transaction", "t-31"}});
    }
}

TEST_CASE("play with nothing active picks the named, the last used or the only device",
          "[commands]") {
    Json user = playing_user("bob");
    user.erase("playback");  // nothing active
    CommandWorld world(user, "bob");
    REQUIRE(world.wait_state("bob", [](const Json& s) { return s["state"] == "idle"; }));
    INFO(world.bridge_log());

    // Two devices and no history: the bridge cannot guess.
    CommandResult result = world.set({{"command", "play"}});
    check_error(result, "NO_ACTIVE_DEVICE");
    std::string message = (*result.response)["error"];
    CHECK(message.find("Fake Speaker") != std::string::npos);
    CHECK(message.find("Fake Phone") != std::string::npos);
    CHECK(result.calls.empty());

    // The named device.
    result =
        world.set({{"play", {{"uri", "spotify:playlist:quickbob"}, {"device", "Fake Phone"}}}});
    check_ok(result);
    check_calls(result, {{"PUT",
                          "/v1/me/player/play",
                          {{"device_id", "fake-device-phone"}},
                          {{"context_uri", "spotify:playlist:quickbob"}}}});
    REQUIRE(world.wait_state("bob", [](const Json& s) {
        return s["state"] == "playing" && s["device"]["name"] == "Fake Phone";
    }));

    // Stopped "from the phone": the last device used is the phone. (Cleared first: the idle
    // state of the start must not count as this one.)
    world.probe.clear();
    world.fake.set_playback("bob", {{"active", false}});
    world.probe.publish("spotify2mqtt/bob/get", "");
    REQUIRE(world.wait_state("bob", [](const Json& s) { return s["state"] == "idle"; }));
    result = world.send("set/command", "play");
    check_ok(result);
    check_calls(result, {{"PUT", "/v1/me/player/play", {{"device_id", "fake-device-phone"}}}});
    REQUIRE(world.wait_state("bob", [](const Json& s) { return s["state"] == "playing"; }));

    // Other controls need something active.
    world.probe.clear();
    world.fake.set_playback("bob", {{"active", false}});
    world.probe.publish("spotify2mqtt/bob/get", "");
    REQUIRE(world.wait_state("bob", [](const Json& s) { return s["state"] == "idle"; }));
    result = world.set({{"command", "next"}});
    check_error(result, "NO_ACTIVE_DEVICE");
    CHECK(result.calls.empty());
    // Pausing what is not playing is already done.
    result = world.set({{"command", "pause"}});
    check_ok(result);
    CHECK(result.calls.empty());
}

TEST_CASE("the only unrestricted device is used when nothing is active", "[commands]") {
    Json user = playing_user("cleo");
    user.erase("playback");
    user["devices"] = {
        {{"id", "sonos-1"}, {"name", "Sonos"}, {"type", "Speaker"}, {"is_restricted", true}},
        {{"id", "desk-1"}, {"name", "Desk"}, {"type", "Computer"}}};
    CommandWorld world(user, "cleo");
    REQUIRE(world.wait_state("cleo", [](const Json& s) { return s["state"] == "idle"; }));
    CommandResult result = world.send("set/play", "spotify:playlist:quickcleo");
    check_ok(result);
    check_calls(result, {{"PUT",
                          "/v1/me/player/play",
                          {{"device_id", "desk-1"}},
                          {{"context_uri", "spotify:playlist:quickcleo"}}}});
}

TEST_CASE("restricted devices, devices without volume and unknown devices are explained",
          "[commands]") {
    Json user = playing_user("dora");
    user["devices"] = {
        {{"id", "sonos-1"},
         {"name", "Sonos Kitchen"},
         {"type", "Speaker"},
         {"is_restricted", true}},
        {{"id", "tv-1"}, {"name", "Living Room TV"}, {"type", "TV"}, {"supports_volume", false}},
        {{"id", "phone-1"}, {"name", "Phone"}, {"type", "Smartphone"}}};
    user["playback"]["device_id"] = "sonos-1";
    CommandWorld world(user, "dora");
    REQUIRE(world.wait_state("dora", [](const Json& s) {
        return s["state"] == "playing" && s["device"]["name"] == "Sonos Kitchen";
    }));
    INFO(world.bridge_log());

    check_error(world.set({{"volume", 10}}), "DEVICE_NOT_CONTROLLABLE");
    CommandResult result = world.send("set/command", "next");
    check_error(result, "DEVICE_NOT_CONTROLLABLE");
    CHECK(result.calls.empty());
    check_error(world.set({{"device", "sonos kitchen"}}), "DEVICE_NOT_CONTROLLABLE");

    result = world.set({{"device", "Living Room TV"}});
    check_ok(result);
    check_calls(result, {{"PUT", "/v1/me/player", {}, {{"device_ids", {"tv-1"}}, {"play", true}}}});
    REQUIRE(world.wait_state(
        "dora", [](const Json& s) { return s["device"]["name"] == "Living Room TV"; }));
    result = world.send("set/volume", "20");
    check_error(result, "VOLUME_CONTROL_DISALLOW");
    CHECK(result.calls.empty());

    // Unknown: the list is refreshed before saying so.
    int64_t since = world.fake.last_seq();
    result = world.set({{"device", "Garage"}});
    check_error(result, "UNKNOWN_DEVICE");
    CHECK(world.reads_of("/v1/me/player/devices", since) >= 1);
    CHECK((*result.response)["error"].get<std::string>().find("Phone") != std::string::npos);

    // A device that appeared since the bridge's last look is found by that refresh.
    Json devices = user["devices"];
    devices.push_back({{"id", "garage-1"}, {"name", "Garage"}, {"type", "Speaker"}});
    world.fake.set_devices("dora", devices);
    result = world.set({{"device", "garage"}});
    check_ok(result);
    check_calls(result,
                {{"PUT", "/v1/me/player", {}, {{"device_ids", {"garage-1"}}, {"play", true}}}});
}

TEST_CASE("a free account gets PREMIUM_REQUIRED without a player call - likes still work",
          "[commands]") {
    Json user = playing_user("fred");
    user["product"] = "free";
    CommandWorld world(user, "fred");
    REQUIRE(world.wait_state("fred", [](const Json& s) { return s["premium"] == false; }));
    CommandResult result = world.set({{"command", "pause"}, {"transaction", 5}});
    check_error(result, "PREMIUM_REQUIRED");
    CHECK((*result.response)["transaction"] == 5);
    CHECK(result.calls.empty());
    result = world.send("set/like", "true");
    check_ok(result);
    check_calls(result, {{"PUT", "/v1/me/library", {{"uris", "spotify:track:shortfred1"}}}});
}

TEST_CASE("a free account upgraded to Premium gets control without linking again", "[commands]") {
    Json user = playing_user("fay");
    user["product"] = "free";
    CommandWorld world(user, "fay");
    REQUIRE(world.wait_state("fay", [](const Json& s) { return s["premium"] == false; }));
    INFO(world.bridge_log());
    world.fake.set_profile("fay", {{"product", "premium"}});
    int64_t since = world.fake.last_seq();
    // The bridge still believes Free: refused at once, and it reads the plan again.
    CommandResult result = world.set({{"command", "pause"}});
    check_error(result, "PREMIUM_REQUIRED");
    CHECK((*result.response)["error"].get<std::string>().find("just upgraded") !=
          std::string::npos);
    CHECK(result.calls.empty());
    REQUIRE(world.wait_state("fay", [](const Json& s) { return s["premium"] == true; }));
    CHECK(world.reads_of("/v1/me", since) == 1);
    CHECK(world.bridge_log().find("fay: Spotify plan is now Premium") != std::string::npos);
    result = world.set({{"command", "pause"}});
    check_ok(result);
    check_calls(result, {{"PUT", "/v1/me/player/pause"}});

    // Downgraded again: Spotify's PREMIUM_REQUIRED turns it read-only; a burst of refused
    // commands then costs one profile read, not one each.
    world.fake.set_profile("fay", {{"product", "free"}});
    result = world.set({{"command", "play"}});
    check_error(result, "PREMIUM_REQUIRED");
    REQUIRE(world.wait_state("fay", [](const Json& s) { return s["premium"] == false; }));
    since = world.fake.last_seq();
    for (int i = 0; i < 3; ++i) check_error(world.set({{"command", "next"}}), "PREMIUM_REQUIRED");
    std::this_thread::sleep_for(1500ms);
    CHECK(world.reads_of("/v1/me", since) <= 1);
}

TEST_CASE("Spotify's errors come back with their reason - a rate limit fails fast", "[commands]") {
    CommandWorld world(playing_user("gus"), "gus");
    REQUIRE(world.wait_state("gus", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(world.bridge_log());

    world.fake.add_fault({{"method", "POST"},
                          {"path_prefix", "/v1/me/player/next"},
                          {"status", 403},
                          {"body",
                           {{"error",
                             {{"status", 403},
                              {"message", "Player command failed: No next track"},
                              {"reason", "NO_NEXT_TRACK"}}}}}});
    CommandResult result = world.set({{"command", "next"}});
    check_error(result, "NO_NEXT_TRACK");
    CHECK((*result.response)["error"].get<std::string>().find("No next track") !=
          std::string::npos);

    world.fake.add_fault(
        {{"method", "PUT"}, {"path_prefix", "/v1/me/player/volume"}, {"status", 502}});
    check_error(world.set({{"volume", 10}}), "SPOTIFY_ERROR");

    world.fake.add_rate_limit("/v1/me/player/pause", 20);
    result = world.set({{"command", "pause"}});
    check_error(result, "RATE_LIMITED");
    CHECK((*result.response)["retry_after_s"] >= 15);
    // Inside the window: answered at once, without a call. (Not "no request at all": a poll
    // that was already out may finish its reads; that polls wait is the [faults] 429 test's.)
    result = world.set({{"volume", 20}, {"transaction", "t"}});
    check_error(result, "RATE_LIMITED");
    CHECK((*result.response)["transaction"] == "t");
    CHECK(result.calls.empty());
}

TEST_CASE("malformed commands get an error each and the bridge keeps serving", "[commands]") {
    CommandWorld world(playing_user("hal"), "hal");
    REQUIRE(world.wait_state("hal", [](const Json& s) { return s["state"] == "playing"; }));
    INFO(world.bridge_log());

    std::string deep = R"({"play":)" + std::string(10000, '[') + std::string(10000, ']') + "}";
    std::string huge = R"({"transaction":")" + std::string(1024 * 1024, 'x') + R"("})";
    const std::vector<std::tuple<std::string, std::string, std::string>> bad = {
        {"set", "not json", "INVALID_PAYLOAD"},
        {"set", "[1,2]", "INVALID_PAYLOAD"},
        {"set", R"("volume")", "INVALID_PAYLOAD"},
        {"set", R"({"volume":)", "INVALID_PAYLOAD"},
        {"set", "\xff\xfe{}", "INVALID_PAYLOAD"},
        {"set",
         R"({"device":"Kit)"
         "\xc3\x28"
         R"("})",
         "INVALID_PAYLOAD"},
        {"set", huge, "INVALID_PAYLOAD"},
        {"set", deep, "INVALID_PAYLOAD"},
        {"set", R"({"volume":"loud"})", "INVALID_PAYLOAD"},
        {"set", R"({"volume":150})", "INVALID_PAYLOAD"},
        {"set", R"({"volume":-1})", "INVALID_PAYLOAD"},
        {"set", R"({"shuffle":"maybe"})", "INVALID_PAYLOAD"},
        {"set", R"({"repeat":"sometimes"})", "INVALID_PAYLOAD"},
        {"set", R"({"command":"dance"})", "INVALID_PAYLOAD"},
        {"set", R"({"vol":10})", "UNKNOWN_KEY"},
        {"set/volumee", "10", "UNKNOWN_KEY"},
        {"set", "{}", "INVALID_PAYLOAD"},
        {"set", R"({"play":42})", "INVALID_PAYLOAD"},
        {"set", R"({"queue":"spotify:album:abc"})", "INVALID_PAYLOAD"},
        {"set", R"({"position_ms":-5})", "INVALID_PAYLOAD"},
        {"set/play", "", "INVALID_PAYLOAD"},
        {"set", R"({"play":"https://spotify.link/abc"})", "INVALID_PAYLOAD"},
        {"set", R"({"like":[true]})", "INVALID_PAYLOAD"},
        {"set/volume", "\xc3\x28", "INVALID_PAYLOAD"},
        {"set", R"({"device":""})", "INVALID_PAYLOAD"},
    };
    for (const auto& [suffix, payload, reason] : bad) {
        INFO(suffix << " <- " << payload.substr(0, 60));
        CommandResult result = world.send(suffix, payload, 100ms);
        check_error(result, reason);
        CHECK(result.calls.empty());
    }
    CommandResult wrong = world.set({{"transaction", "t9"}, {"volume", "x"}});
    check_error(wrong, "INVALID_PAYLOAD");
    CHECK((*wrong.response)["transaction"] == "t9");
    std::string range = (*world.set({{"volume", 101}}).response)["error"];
    CHECK(range.find("0 to 100") != std::string::npos);

    CommandResult fine = world.set({{"volume", 33}, {"transaction", "after"}});
    check_ok(fine);
    check_calls(fine, {{"PUT", "/v1/me/player/volume", {{"volume_percent", "33"}}}});
    CHECK(world.bridge->process().running());
}

TEST_CASE("commands of one account run in arrival order, one response each", "[commands]") {
    CommandWorld world(playing_user("ivy"), "ivy");
    REQUIRE(world.wait_state("ivy", [](const Json& s) { return s["state"] == "playing"; }));
    int64_t since = world.fake.last_seq();
    world.probe.clear();
    for (int v = 10; v <= 50; v += 10)
        world.probe.publish("spotify2mqtt/ivy/set", Json{{"volume", v}, {"transaction", v}}.dump());
    REQUIRE(eventually(
        [&] { return world.probe.messages("spotify2mqtt/ivy/response").size() >= 5; }, 15s));
    std::this_thread::sleep_for(300ms);  // a sixth response would be a bug
    auto responses = world.probe.messages("spotify2mqtt/ivy/response");
    REQUIRE(responses.size() == 5);
    std::vector<std::string> volumes;
    for (const Json& entry : world.fake.requests_to("PUT", "/v1/me/player/volume", since))
        volumes.push_back(entry["query"]);
    CHECK(volumes == std::vector<std::string>{"volume_percent=10", "volume_percent=20",
                                              "volume_percent=30", "volume_percent=40",
                                              "volume_percent=50"});
    for (size_t i = 0; i < 5; ++i) {
        CHECK(responses[i].json()["transaction"] == static_cast<int>(10 * (i + 1)));
        CHECK(responses[i].json()["status"] == "ok");
    }
    CHECK(world.wait_state("ivy", [](const Json& s) { return s["volume"] == 50; }));
}

TEST_CASE("a command the broker kept while the bridge was stopped is answered as stale",
          "[commands]") {
    CommandWorld world(playing_user("jay"), "jay");
    REQUIRE(world.wait_state("jay", [](const Json& s) { return s["state"] == "playing"; }));
    REQUIRE(world.bridge->process().terminate_and_wait() == 0);

    world.probe.clear();
    world.probe.publish("spotify2mqtt/jay/set", R"({"command":"pause","transaction":"old"})", 1);
    std::this_thread::sleep_for(300ms);
    int64_t since = world.fake.last_seq();
    world.bridge->start();
    auto response = world.probe.wait_for_json(
        "spotify2mqtt/jay/response", [](const Json& r) { return r["transaction"] == "old"; }, 15s);
    INFO(world.bridge_log());
    REQUIRE(response);
    CHECK(response->json()["reason"] == "STALE_COMMAND");
    CHECK(world.fake.requests_to("PUT", "/v1/me/player/pause", since).empty());

    // Live commands after that run as usual.
    check_ok(world.set({{"command", "pause"}}));
}

TEST_CASE("unknown accounts and bridge requests are answered", "[commands]") {
    CommandWorld world(playing_user("kim"), "kim");
    REQUIRE(world.wait_state("kim", [](const Json& s) { return s["state"] == "playing"; }));
    world.probe.clear();
    world.probe.publish("spotify2mqtt/nobody/set", R"({"volume":3,"transaction":"x"})");
    auto unknown =
        world.probe.wait_for_json("spotify2mqtt/nobody/response", [](const Json&) { return true; });
    REQUIRE(unknown);
    CHECK(unknown->json()["reason"] == "UNKNOWN_ACCOUNT");
    CHECK(unknown->json()["transaction"] == "x");
    CHECK(unknown->json()["error"].get<std::string>().find("kim") != std::string::npos);

    world.probe.publish("spotify2mqtt/bridge/request/accounts", R"({"transaction":"a"})");
    auto accounts = world.probe.wait_for_json("spotify2mqtt/bridge/response/accounts",
                                              [](const Json&) { return true; });
    REQUIRE(accounts);
    CHECK(accounts->json()["status"] == "ok");
    CHECK(accounts->json()["transaction"] == "a");
    CHECK(accounts->json()["data"][0]["name"] == "kim");
    world.probe.publish("spotify2mqtt/bridge/request/health_check", "");
    auto health = world.probe.wait_for_json("spotify2mqtt/bridge/response/health_check",
                                            [](const Json&) { return true; });
    REQUIRE(health);
    CHECK(health->json()["status"] == "ok");
    CHECK(health->json()["data"]["healthy"] == true);
    CHECK(health->json()["data"]["accounts"] == 1);
    CHECK(health->json()["data"]["accounts_online"] == 1);
}

TEST_CASE("a slow Spotify answer for one account does not hold up another's command",
          "[commands]") {
    BridgeWorld world;
    world.fake.create_user(playing_user("lea"));
    world.fake.create_user(playing_user("max"));
    world.start_bridge(BridgeWorld::accounts({"lea", "max"}));
    for (const std::string name : {"lea", "max"}) {
        REQUIRE(world.wait_state(name, [](const Json& s) { return s["state"] == "playing"; }));
    }
    INFO(world.bridge_log());
    // Long enough that a slow (sanitized, loaded) bridge still answers max well within it.
    world.fake.add_fault({{"method", "PUT"},
                          {"path_prefix", "/v1/me/player/volume"},
                          {"user", "lea"},
                          {"delay_ms", 8000},
                          {"status", 204}});
    world.probe.clear();
    world.probe.publish("spotify2mqtt/lea/set", R"({"volume":10})");
    // lea's call is hanging at the fake once it has taken the (single-use) fault.
    REQUIRE(eventually([&] { return world.fake.faults().empty(); }));
    world.probe.publish("spotify2mqtt/max/set", R"({"volume":20})");
    auto max = world.probe.wait_for("spotify2mqtt/max/response", nullptr, 10s);
    REQUIRE(max);
    CHECK(max->json()["status"] == "ok");
    // lea's answer is still outstanding when max's arrives.
    CHECK(world.probe.messages("spotify2mqtt/lea/response").empty());
    auto lea = world.probe.wait_for("spotify2mqtt/lea/response", nullptr, 20s);
    REQUIRE(lea);
    CHECK(lea->received_at > max->received_at);
}

TEST_CASE("a bridge request that is not JSON is refused - {} on /set offers only command keys",
          "[commands]") {
    CommandWorld world(playing_user("ola"), "ola");
    REQUIRE(world.wait_state("ola", [](const Json& s) { return s["state"] == "playing"; }));
    for (const std::string payload : {"not json", "[1,2]", "42"}) {
        world.probe.clear();
        world.probe.publish("spotify2mqtt/bridge/request/health_check", payload);
        auto answer = world.probe.wait_for_json("spotify2mqtt/bridge/response/health_check",
                                                [](const Json&) { return true; });
        INFO(payload);
        REQUIRE(answer);
        CHECK(answer->json()["status"] == "error");
        CHECK(answer->json()["reason"] == "INVALID_PAYLOAD");
        CHECK(answer->json()["error"].get<std::string>().find("JSON object") != std::string::npos);
    }

    auto empty = world.set(Json::object());
    REQUIRE(empty.response);
    CHECK((*empty.response)["reason"] == "INVALID_PAYLOAD");
    std::string error = (*empty.response)["error"];
    CHECK(error.find("volume") != std::string::npos);
    CHECK(error.find("transaction") == std::string::npos);
}
