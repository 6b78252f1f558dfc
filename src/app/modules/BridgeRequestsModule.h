// Requests to the bridge itself (docs/mqtt.md, "Bridge requests"):
// <base>/bridge/request/<name>, answered on <base>/bridge/response/<name>.
//
// Thread rule: loop thread only.
#pragma once

#include "app/BridgeCore.h"
#include "app/modules/Module.h"
#include "app/modules/RateGates.h"

namespace s2m {

class BridgeRequestsModule : public Module {
  public:
    BridgeRequestsModule(BridgeCore& core, const RateGates& gates) : core_(core), gates_(gates) {}

    std::vector<std::string> subscriptions() const override;
    bool on_message(const MqttMessage& message) override;

  private:
    void answer(const std::string& name, const std::string& payload);

    BridgeCore& core_;
    const RateGates& gates_;
};

}  // namespace s2m
