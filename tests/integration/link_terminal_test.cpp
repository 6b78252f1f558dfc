// `spotify2mqtt link` beside a running bridge, and the names a link may take: the terminal and the
// page driven the way a person does (the consent page through the fake Spotify's /authorize,
// the landing address typed into the terminal's stdin).
#include <catch2/catch.hpp>

#include "LinkingWorld.h"
#include "TerminalLink.h"
#include "support/Ports.h"
#include "support/TempDir.h"

using namespace s2m::test;

TEST_CASE("`spotify2mqtt link` beside a bridge serving the page hands over and shares no port",
          "[linking][link-cli]") {
    // As installed (page on loopback) and as in the Docker image (page on every address,
    // `docker exec … spotify2mqtt link` on 127.0.0.1).
    std::string web_host = GENERATE(as<std::string>(), "127.0.0.1", "0.0.0.0");
    INFO("the page listens on " << web_host);
    LinkingWorld world;
    world.start({"kai-id"}, Json::object(), web_host);
    REQUIRE(world.wait_healthy());

    // The bridge's own config: its redirect URI is the page's port.
    TerminalLink cli(world.bridge->config_path(), "kai");
    std::string authorize_url = cli.authorize_url();
    // While `link` waits, every connection reaches the bridge (fresh connections, so a shared
    // port would send about half of them to `link`, which answers 404).
    int answered_200 = 0;
    int requests = 200;
    for (int i = 0; i < requests; ++i) {
        httplib::Client fresh(world.bridge->web_url());
        if (auto res = fresh.Get("/healthz"); res && res->status == 200) ++answered_200;
    }
    CHECK(answered_200 == requests);
    std::string handover =
        "A running spotify2mqtt bridge serves the account page on " + world.bridge->web_url() + "/";
    std::string printed = cli.wait_printed(handover);
    INFO(printed);
    REQUIRE(printed.find(handover) != std::string::npos);
    CHECK(printed.find("paste it here and press Enter") != std::string::npos);

    // Spotify sends the browser to the bridge, which does not know this request: it says where
    // to paste the address.
    std::string location = world.agree(authorize_url, "kai-id");
    auto landed = world.land(location);
    REQUIRE(landed);
    CHECK(landed->status == 400);
    CHECK(landed->body.find("paste this page") != std::string::npos);

    REQUIRE(cli.process->write_stdin(location + "\n"));
    auto code = cli.process->wait_exit(20s);
    INFO(cli.log());
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK(cli.log().find("Linked \"kai\"") != std::string::npos);
    INFO(world.bridge_log());
    REQUIRE(world.wait_state("kai", is_playing, 20s));
    // The bridge found the link in the store and says so once.
    CHECK(count_lines_with(world.bridge_log(), "kai: ", "polling starts") == 1);
    CHECK(world.bridge_log().find("kai: linked from another process; polling starts") !=
          std::string::npos);
}

TEST_CASE("one Spotify user cannot be linked under a second name - page and terminal",
          "[linking][link-cli]") {
    LinkingWorld world;
    world.start({"lou-id"});
    world.link("lou", "lou-id");
    REQUIRE(world.wait_state("lou", is_playing, 15s));

    // The page: a second name is refused with a sentence naming the existing account.
    auto twice = world.land(world.agree(world.press_link("lou2"), "lou-id"));
    REQUIRE(twice);
    CHECK(twice->status == 400);
    CHECK(twice->body.find("already linked as `lou`") != std::string::npos);
    // No name typed: the same user is linked again as lou.
    auto again = world.land(world.agree(world.press_link(), "lou-id"));
    REQUIRE(again);
    CHECK(again->status == 200);
    CHECK(again->body.find("linked as &quot;lou&quot;") != std::string::npos);

    // The terminal, on its own callback port.
    int port = free_tcp_port();
    TempDir dir("s2m-link-twice");
    TerminalLink cli(own_port_config(world, dir, port), "lou3");
    std::string authorize_url = cli.authorize_url();
    REQUIRE(wait_port_open(port, 10s));
    std::string location = world.agree(authorize_url, "lou-id",
                                       "http://127.0.0.1:" + std::to_string(port) + "/callback");
    httplib::Client callback("http://127.0.0.1:" + std::to_string(port));
    auto res = callback.Get(path_and_query(location));
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(res->body.find("already linked as `lou`") != std::string::npos);
    auto code = cli.process->wait_exit(15s);
    INFO(cli.log());
    REQUIRE(code);
    CHECK(*code == 1);
    CHECK(cli.log().find("already linked as `lou`") != std::string::npos);

    namespace fs = std::filesystem;
    for (const std::string name : {"lou2", "lou3", "lou-id"}) {
        CHECK_FALSE(fs::exists(world.bridge->state_dir() / "accounts" / (name + ".json")));
    }
    auto info = world.probe.last("spotify2mqtt/bridge/info");
    REQUIRE(info);
    CHECK(info->json()["accounts"].size() == 1);
}

TEST_CASE("a Spotify user id `bridge` linked with no name gets a name that is not reserved",
          "[linking]") {
    LinkingWorld world;
    world.start({"bridge"});
    auto res = world.land(world.agree(world.press_link(), "bridge"));
    REQUIRE(res);
    INFO(res->body << "\n" << world.bridge_log());
    CHECK(res->status == 200);
    CHECK(res->body.find("linked as &quot;spotify-bridge&quot;") != std::string::npos);
    REQUIRE(world.wait_state("spotify-bridge", is_playing, 15s));
    CHECK_FALSE(world.probe.last("spotify2mqtt/bridge/availability"));
    CHECK_FALSE(world.probe.last("spotify2mqtt/bridge/devices"));
    CHECK_FALSE(std::filesystem::exists(world.bridge->state_dir() / "accounts" / "bridge.json"));
}

TEST_CASE("one Spotify user seeded from the config under two names is reported", "[linking]") {
    BridgeWorld world;
    world.fake.create_user(short_playlist_user("pat-id", 120000));
    Json accounts = Json::array({{{"name", "pat"}, {"refresh_token", "rt-pat-id"}},
                                 {{"name", "pat2"}, {"refresh_token", "rt-pat-id"}}});
    world.start_bridge({{"accounts", accounts}});
    auto event = world.probe.wait_for_json(
        "spotify2mqtt/bridge/event",
        [](const Json& e) { return e["type"] == "account_linked_twice"; }, 20s);
    INFO(world.bridge_log());
    REQUIRE(event);
    std::string message = event->json()["message"];
    CHECK(message.find("the same Spotify account (user pat-id)") != std::string::npos);
    CHECK(world.bridge_log().find("it is polled twice") != std::string::npos);
}
