// <base>/<account>/diagnostics (docs/mqtt.md): status, the last error, the rate-limit window and
// the refresh token's end, which Home Assistant's diagnostic sensors read. Published whether or
// not discovery is on, and only when it changed.
//
// Thread rule: loop thread only.
#pragma once

#include <map>
#include <string>

#include "app/BridgeCore.h"
#include "app/modules/Module.h"
#include "app/modules/RateGates.h"

namespace s2m {

class DiagnosticsModule : public Module {
  public:
    DiagnosticsModule(BridgeCore& core, RateGates& gates) : core_(core), gates_(gates) {}

    void on_account_added(Account& account) override;
    void on_account_removed(const std::string& name) override;
    void on_account_changed(Account& account) override { publish(account); }
    void on_rate_limit_changed(Account& account) override { publish(account); }
    void on_republish() override;

  private:
    void publish(Account& account);

    BridgeCore& core_;
    RateGates& gates_;
    std::map<std::string, std::string> published_;  // account → the last payload sent
};

}  // namespace s2m
