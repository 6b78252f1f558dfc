// The /metrics registry: its table, the text format, and how request URLs become endpoints.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "core/Metrics.h"

using namespace s2m;

TEST_CASE("every family has a unique prometheus name, a known type and help", "[metrics]") {
    std::set<std::string> names;
    for (const auto& family : metric_families()) {
        std::string name = family.name;
        CHECK(names.insert(name).second);
        CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos);
        std::string type = family.type;
        CHECK((type == "counter" || type == "gauge" || type == "summary"));
        if (type == "counter") CHECK(name.ends_with("_total"));
        CHECK(std::string(family.help).size() > 10);
    }
}

TEST_CASE("counters, gauges and summaries render in the text format", "[metrics]") {
    Metrics metrics;
    metrics.add("spotify2mqtt_api_requests_total",
                {{"status", "200"}, {"method", "GET"}, {"endpoint", "/me/player"}});
    metrics.add("spotify2mqtt_api_requests_total",
                {{"endpoint", "/me/player"}, {"method", "GET"}, {"status", "200"}}, 2);
    metrics.set("spotify2mqtt_mqtt_connected", {}, 1);
    metrics.observe("spotify2mqtt_poll_lag_seconds", {}, 0.25);
    metrics.observe("spotify2mqtt_poll_lag_seconds", {}, 0.5);
    metrics.set("spotify2mqtt_accounts", {{"status", "say \"hi\"\n\\"}}, 2);
    metrics.add("no_such_metric_total");  // ignored
    std::string text = metrics.render();
    CHECK_THAT(text, Catch::Contains("# TYPE spotify2mqtt_api_requests_total counter\n"));
    // Labels are sorted, so the two adds above are one series.
    CHECK_THAT(text, Catch::Contains("spotify2mqtt_api_requests_total{endpoint=\"/me/player\","
                                     "method=\"GET\",status=\"200\"} 3\n"));
    CHECK_THAT(text, Catch::Contains("spotify2mqtt_mqtt_connected 1\n"));
    CHECK_THAT(text, Catch::Contains("spotify2mqtt_poll_lag_seconds_sum 0.75\n"));
    CHECK_THAT(text, Catch::Contains("spotify2mqtt_poll_lag_seconds_count 2\n"));
    CHECK_THAT(text,
               Catch::Contains("spotify2mqtt_accounts{status=\"say \\\"hi\\\"\\n\\\\\"} 2\n"));
    CHECK(text.find("no_such_metric") == std::string::npos);
    // Families nobody recorded are left out.
    CHECK(text.find("process_threads") == std::string::npos);
    CHECK(metrics.value("spotify2mqtt_api_requests_total",
                        {{"endpoint", "/me/player"}, {"method", "GET"}, {"status", "200"}}) == 3);
}

TEST_CASE("collectors run at each render", "[metrics]") {
    Metrics metrics;
    int renders = 0;
    metrics.on_render([&](Metrics& m) { m.set("process_threads", {}, ++renders); });
    CHECK_THAT(metrics.render(), Catch::Contains("process_threads 1\n"));
    CHECK_THAT(metrics.render(), Catch::Contains("process_threads 2\n"));
}

TEST_CASE("request URLs become endpoints without ids or queries", "[metrics]") {
    CHECK(api_endpoint("https://api.spotify.com/v1/me/player?additional_types=episode") ==
          "/me/player");
    CHECK(api_endpoint("http://127.0.0.1:9999/v1/me/player/devices") == "/me/player/devices");
    // Words of the API's paths stay, however long (an id has digits or capitals).
    CHECK(api_endpoint("http://127.0.0.1:9999/v1/me/player/recently-played?limit=20") ==
          "/me/player/recently-played");
    CHECK(api_endpoint("https://api.spotify.com/v1/playlists/37i9dQZF1DXcBWIGoYBM5M") ==
          "/playlists/{id}");
    CHECK(api_endpoint("https://api.spotify.com/v1/me/playlists?limit=50&offset=50") ==
          "/me/playlists");
    CHECK(api_endpoint("https://accounts.spotify.com/api/token") == "/api/token");
    CHECK(api_endpoint("https://i.scdn.co/image/ab67616d0000b273") == "other");
    CHECK(api_endpoint("not a url") == "other");
}
