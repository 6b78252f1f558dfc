// The bridge core's contract with its modules (app/BridgeCore.h, app/modules/Module.h): events in
// installation order, the first module that takes a message ends its routing, nothing published
// before the session is up, and bridge/event raised while away is kept for the next connect.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "app/BridgeCore.h"
#include "app/modules/Module.h"
#include "support/FakeMqtt.h"
#include "support/ManualTime.h"

using namespace s2m;

namespace {

class RecordingModule : public Module {
  public:
    RecordingModule(std::string tag, std::vector<std::string>& log, bool takes_messages)
        : tag_(std::move(tag)), log_(log), takes_messages_(takes_messages) {}

    void on_account_added(Account& account) override { note("added " + account.name); }
    void on_account_changed(Account& account) override { note("changed " + account.name); }
    void on_account_removed(const std::string& name) override { note("removed " + name); }
    std::vector<std::string> subscriptions() const override { return {tag_ + "/#"}; }
    void on_broker_connected() override { note("connected"); }
    void on_republish() override { note("republish"); }
    bool on_message(const MqttMessage& message) override {
        note("message " + message.topic);
        return takes_messages_;
    }

  private:
    void note(const std::string& what) { log_.push_back(tag_ + ": " + what); }

    std::string tag_;
    std::vector<std::string>& log_;
    bool takes_messages_;
};

std::vector<std::string> topics_of(const test::FakeMqtt& mqtt) {
    std::vector<std::string> topics;
    for (const test::Published& message : mqtt.published()) topics.push_back(message.topic);
    return topics;
}

}  // namespace

TEST_CASE("levels_below splits a topic below the base topic", "[bridge_core]") {
    CHECK(levels_below("s2m", "s2m/alice/set/volume") ==
          std::vector<std::string>{"alice", "set", "volume"});
    CHECK(levels_below("s2m", "s2m/alice/set/") == std::vector<std::string>{"alice", "set", ""});
    CHECK(levels_below("s2m", "other/alice/get").empty());
    CHECK(levels_below("s2m", "s2malice/get").empty());
}

TEST_CASE("the core hands events to its modules in installation order", "[bridge_core]") {
    Config config;
    config.mqtt.base_topic = "s2m";
    Metrics metrics;
    test::ManualClock clock{0};
    test::ManualScheduler loop{clock};
    BridgeCore core(config, clock, loop, metrics);
    std::vector<std::string> log;
    RecordingModule first("first", log, false);
    RecordingModule second("second", log, true);
    core.install(first);
    core.install(second);
    test::FakeMqtt mqtt;
    mqtt.attach(core);
    core.set_mqtt(mqtt);

    core.add_account("alice", std::nullopt);  // not linked: its availability says so
    CHECK(log == std::vector<std::string>{"first: added alice", "second: added alice",
                                          "first: changed alice", "second: changed alice"});
    CHECK(core.find("alice")->status() == "not_linked");
    core.publish_event("account_linked", "alice", "while the broker is away");
    CHECK(mqtt.published().empty());  // the session is not up yet

    log.clear();
    mqtt.connect(/*acknowledge=*/false);
    while (loop.run_next()) {
    }
    CHECK(mqtt.subscriptions() == std::vector<std::string>{"first/#", "second/#"});
    CHECK(log == std::vector<std::string>{"first: connected", "second: connected",
                                          "first: republish", "second: republish"});
    CHECK(topics_of(mqtt) == std::vector<std::string>{"s2m/bridge/state", "s2m/bridge/info",
                                                      "s2m/alice/availability",
                                                      "s2m/bridge/event"});
    CHECK(mqtt.published().back().payload.find("while the broker is away") != std::string::npos);

    log.clear();
    mqtt.deliver("s2m/alice/get", "");
    while (loop.run_next()) {
    }
    CHECK(log == std::vector<std::string>{"first: message s2m/alice/get",
                                          "second: message s2m/alice/get"});
    RecordingModule third("third", log, false);
    core.install(third);
    log.clear();
    mqtt.deliver("s2m/alice/get", "");
    while (loop.run_next()) {
    }
    CHECK(log.size() == 2);  // the second module took it; the third never saw it

    log.clear();
    mqtt.forget();
    core.remove_account("alice");
    CHECK(core.find("alice") == nullptr);
    CHECK(log == std::vector<std::string>{"first: removed alice", "second: removed alice",
                                          "third: removed alice"});
    REQUIRE(mqtt.published().size() == 1);
    CHECK(mqtt.published()[0].topic == "s2m/alice/availability");
    CHECK(mqtt.published()[0].payload.empty());
}
