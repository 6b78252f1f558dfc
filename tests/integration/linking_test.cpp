// Linking accounts through the bridge's web page, the way a browser does it (HTTP requests, the
// redirects followed by hand), against the fake Spotify's /authorize and /api/token.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>

#include "LinkingWorld.h"
#include "TerminalLink.h"
#include "core/Encoding.h"
#include "support/Ports.h"
#include "support/TempDir.h"

using namespace s2m::test;

TEST_CASE("two accounts linked from the page publish - invalid_grant re-links only one",
          "[linking]") {
    LinkingWorld world;
    world.start({"anna-id", "ben-id"});
    world.link("anna", "anna-id");
    world.link("", "ben-id");  // no name given: derived from the Spotify user id
    REQUIRE(world.wait_state("anna", is_playing, 15s));
    REQUIRE(world.wait_state("ben-id", is_playing, 15s));
    auto event = world.probe.wait_for_json(
        "spotify2mqtt/bridge/event", [](const Json& e) { return e["type"] == "account_linked"; });
    CHECK(event);
    std::string html = world.page();
    CHECK(html.find("id=\"account-anna\"") != std::string::npos);
    CHECK(html.find("User anna-id") != std::string::npos);

    // Spotify forgets anna's authorisation: only anna must be linked again.
    world.fake.revoke_refresh_tokens("anna-id");
    world.fake.expire_access_tokens("anna-id");
    world.probe.publish("spotify2mqtt/anna/get", "");
    INFO(world.bridge_log());
    REQUIRE(world.probe.wait_for_json(
        "spotify2mqtt/anna/availability",
        [](const Json& a) { return a["state"] == "offline" && a["reason"] == "reauth_required"; },
        15s));
    CHECK(world.page().find("Link again") != std::string::npos);
    int64_t before = world.fake.last_seq();
    world.probe.publish("spotify2mqtt/ben-id/get", "");
    CHECK(eventually([&] {  // ben goes on
        for (const Json& request : world.fake.requests(before)) {
            if (request["user"] == "ben-id" && request["path"] == "/v1/me/player" &&
                request["status"] == 200)
                return true;
        }
        return false;
    }));
    // (ben's availability follows his first state: waited for, not read once.)
    REQUIRE(world.probe.wait_for_json("spotify2mqtt/ben-id/availability",
                                      [](const Json& a) { return a["state"] == "online"; }));
    CHECK(world.probe.last("spotify2mqtt/ben-id/availability")->json()["state"] == "online");

    // Linking anna again brings her back without a restart.
    world.link("anna", "anna-id");
    CHECK(world.probe.wait_for_json(
        "spotify2mqtt/anna/availability", [](const Json& a) { return a["state"] == "online"; },
        15s));
}

TEST_CASE("forged states, replayed callbacks and replayed codes are refused", "[linking]") {
    LinkingWorld world;
    world.start({"cara-id"});
    auto forged = world.web->Get("/callback?code=abc&state=forged");
    REQUIRE(forged);
    CHECK(forged->status == 400);
    CHECK(forged->body.find("unknown or has expired") != std::string::npos);

    std::string location = world.link("cara", "cara-id");
    auto replayed = world.land(location);
    REQUIRE(replayed);
    CHECK(replayed->status == 400);
    CHECK(replayed->body.find("Linking failed") != std::string::npos);

    // The old code under a fresh state reaches Spotify, which refuses a used code.
    std::string fresh_state = query_of(world.press_link("cara"))["state"];
    std::string code = query_of(location)["code"];
    auto reused = world.web->Get("/callback?code=" + s2m::url_encode(code) +
                                 "&state=" + s2m::url_encode(fresh_state));
    REQUIRE(reused);
    CHECK(reused->status == 400);
    CHECK(reused->body.find("did not accept the authorization code") != std::string::npos);

    // Cancel on Spotify's page.
    std::string cancel_state = query_of(world.press_link("cara"))["state"];
    auto cancelled = world.web->Get("/callback?error=access_denied&state=" + cancel_state);
    REQUIRE(cancelled);
    CHECK(cancelled->status == 400);
    CHECK(cancelled->body.find("Cancel") != std::string::npos);
}

TEST_CASE("the pasted landing address finishes a link - a taken name is refused", "[linking]") {
    LinkingWorld world;
    world.start({"dora-id", "eve-id"});
    std::string location = world.agree(world.press_link("dora"), "dora-id");
    httplib::Params form{{"url", "  " + location + "\n"}};
    auto res = world.web->Post("/link/paste", form);
    REQUIRE(res);
    INFO(res->body);
    CHECK(res->status == 200);
    CHECK(world.wait_state("dora", is_playing, 15s));

    std::string taken = world.agree(world.press_link("dora"), "eve-id");
    auto refused = world.land(taken);
    REQUIRE(refused);
    CHECK(refused->status == 400);
    CHECK(refused->body.find("already belongs to another Spotify account") != std::string::npos);

    auto bad = world.web->Post("/link/paste", httplib::Params{{"url", "not a url"}});
    REQUIRE(bad);
    CHECK(bad->status == 400);
}

TEST_CASE("unlinking from the page removes the account's tokens and retained topics", "[linking]") {
    LinkingWorld world;
    world.start({"finn-id"});
    world.link("finn", "finn-id");
    REQUIRE(world.wait_state("finn", is_playing, 15s));
    world.probe.clear();
    auto res = world.web->Post("/accounts/finn/unlink", httplib::Params{});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body.find("finn was unlinked") != std::string::npos);
    CHECK(
        world.probe.wait_for("spotify2mqtt/finn", [](const std::string& p) { return p.empty(); }));
    CHECK(world.probe.wait_for("spotify2mqtt/finn/availability",
                               [](const std::string& p) { return p.empty(); }));
    CHECK_FALSE(std::filesystem::exists(world.bridge->state_dir() / "accounts" / "finn.json"));
    auto info = world.probe.wait_for_json("spotify2mqtt/bridge/info",
                                          [](const Json& i) { return i["accounts"].empty(); });
    CHECK(info);
    // A fresh subscriber sees nothing retained for finn.
    MqttProbe late(world.broker.url(), MqttProbeOptions{.subscriptions = {"spotify2mqtt/finn/#"}});
    CHECK_FALSE(late.wait_for("spotify2mqtt/finn/#", nullptr, 1s));
}

TEST_CASE("the page refuses foreign Host headers and cross-site posts - healthz answers",
          "[linking]") {
    LinkingWorld world;
    world.start({});
    auto rebound = world.web->Get("/", httplib::Headers{{"Host", "evil.example:8888"}});
    REQUIRE(rebound);
    CHECK(rebound->status == 421);
    // Monitoring by host name (Prometheus, compose service names) is answered: read-only.
    auto scrape = world.web->Get("/metrics", httplib::Headers{{"Host", "spotify2mqtt:8888"}});
    REQUIRE(scrape);
    CHECK(scrape->status == 200);
    CHECK(scrape->body.find("process_resident_memory_bytes") != std::string::npos);
    auto probe = world.web->Get("/healthz", httplib::Headers{{"Host", "spotify2mqtt:8888"}});
    REQUIRE(probe);
    CHECK(probe->status != 421);
    auto linking = world.web->Post("/link", httplib::Headers{{"Host", "spotify2mqtt:8888"}},
                                   httplib::Params{});
    REQUIRE(linking);
    CHECK(linking->status == 421);
    auto cross = world.web->Post("/link", httplib::Headers{{"Origin", "http://evil.example"}},
                                 httplib::Params{});
    REQUIRE(cross);
    CHECK(cross->status == 403);
    auto huge = world.web->Post("/link/paste", std::string(64 * 1024, 'x'),
                                "application/x-www-form-urlencoded");
    REQUIRE(huge);
    CHECK(huge->status == 413);
    // Healthy once the broker connection is up.
    CHECK(world.wait_healthy());
    CHECK(world.page().find("No account is linked yet") != std::string::npos);
}

TEST_CASE("`spotify2mqtt link` in a terminal links - the running bridge picks it up", "[linking]") {
    LinkingWorld world;
    world.start({"gus-id"});
    // A second config for the terminal: same store and app, its own free callback port; stdin
    // is /dev/null, so only the callback can finish the link.
    int port = free_tcp_port();
    TempDir dir("s2m-link-cli");
    TerminalLink cli(own_port_config(world, dir, port), "gus", /*typing=*/false);
    REQUIRE(wait_port_open(port, 10s));
    std::string authorize_url = cli.authorize_url();
    INFO(cli.log());
    std::string redirect_uri = "http://127.0.0.1:" + std::to_string(port) + "/callback";
    std::string location = world.agree(authorize_url, "gus-id", redirect_uri);
    httplib::Client callback("http://127.0.0.1:" + std::to_string(port));
    auto res = callback.Get(path_and_query(location));
    REQUIRE(res);
    INFO(cli.log());
    CHECK(res->status == 200);
    auto code = cli.process->wait_exit(15s);
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK(cli.log().find("Linked \"gus\"") != std::string::npos);
    INFO(world.bridge_log());
    CHECK(world.wait_state("gus", is_playing, 20s));
    CHECK(count_lines_with(world.bridge_log(), "gus: ", "polling starts") == 1);
}

TEST_CASE("no secret reaches the log, MQTT or the page - the store is private", "[linking]") {
    LinkingWorld world;
    Json user = short_playlist_user("hal-id", 120000);
    user["rotate_refresh_tokens"] = true;
    world.fake.create_user(user);
    world.start({});
    std::string location = world.link("hal", "hal-id");
    REQUIRE(world.wait_state("hal", is_playing, 15s));
    // Force a refresh, which rotates the refresh token.
    world.fake.expire_access_tokens("hal-id");
    world.probe.publish("spotify2mqtt/hal/get", "");
    namespace fs = std::filesystem;
    fs::path stored = world.bridge->state_dir() / "accounts" / "hal.json";
    std::set<std::string> secrets{"fake-client-secret", query_of(location)["code"]};
    CHECK(eventually([&] {
        std::ifstream in(stored);
        Json record = Json::parse(in, nullptr, false);
        if (record.is_object()) {
            secrets.insert(record.value("refresh_token", ""));
            secrets.insert(record.value("access_token", ""));
        }
        return secrets.size() >= 6;  // secret, code, two refresh and two access tokens
    }));
    secrets.erase("");

    const auto private_file = fs::perms::owner_read | fs::perms::owner_write;
    CHECK((fs::status(stored).permissions() & fs::perms::all) == private_file);
    CHECK((fs::status(world.bridge->state_dir()).permissions() & fs::perms::all) ==
          fs::perms::owner_all);

    std::string everything = world.bridge_log() + world.page();
    for (const auto& message : world.probe.messages())
        everything += message.topic + message.payload;
    for (const std::string& secret : secrets) {
        INFO("secret of length " << secret.size());
        CHECK(everything.find(secret) == std::string::npos);
    }
}

TEST_CASE("a link made elsewhere is picked up - 14 days before expiry the bridge warns",
          "[linking]") {
    LinkingWorld world;
    world.fake.create_user(short_playlist_user("ida-id", 120000));
    world.start({});
    // As `spotify2mqtt link` would leave it, but authorised 170 days ago.
    int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    Json record{{"refresh_token", world.fake.refresh_token("ida-id")},
                {"access_token", ""},
                {"access_expires_at_ms", 0},
                {"linked_at_ms", now_ms - 170LL * 24 * 3600 * 1000},
                {"scope", ""}};
    std::filesystem::path file = world.bridge->state_dir() / "accounts" / "ida.json";
    std::ofstream(file.string() + ".tmp") << record.dump();
    std::filesystem::rename(file.string() + ".tmp", file);
    INFO(world.bridge_log());
    CHECK(world.wait_state("ida", is_playing, 20s));
    auto warning = world.probe.wait_for_json("spotify2mqtt/bridge/event", [](const Json& e) {
        return e["type"] == "refresh_token_expiring" && e["account"] == "ida";
    });
    REQUIRE(warning);
    CHECK((*warning).json()["message"].get<std::string>().find("link the account again") !=
          std::string::npos);
}

TEST_CASE("an account with its own Spotify app links and polls through that app", "[linking]") {
    LinkingWorld world;
    // A public (PKCE-only) app for olga: no secret in the config, none sent.
    world.start({"olga-id"},
                {{"accounts", Json::array({{{"name", "olga"}, {"client_id", "olga-app"}}})}});
    world.fake.register_app("olga-app", std::nullopt, {world.bridge->redirect_uri()});
    std::string authorize_url = world.press_link("olga");
    CHECK(query_of(authorize_url)["client_id"] == "olga-app");
    int64_t before = world.fake.last_seq();
    auto res = world.land(world.agree(authorize_url, "olga-id"));
    REQUIRE(res);
    INFO(res->body << "\n" << world.bridge_log());
    REQUIRE(res->status == 200);
    REQUIRE(world.wait_state("olga", is_playing, 15s));

    bool exchanged = false;
    for (const Json& request : world.fake.requests(before)) {
        INFO(request.dump());
        if (request["path"] == "/api/token") {
            exchanged = true;
            CHECK(request["status"] == 200);
            CHECK(request["body"].get<std::string>().find("client_id=olga-app") !=
                  std::string::npos);
        }
        if (request["user"] == "olga-id" && request["path"] != "/api/token")
            CHECK(request["client_id"] == "olga-app");
    }
    CHECK(exchanged);
}
