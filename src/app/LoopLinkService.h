// LinkPort for the web server: each call runs on the bridge's loop thread, and the web thread
// waits for the answer (bounded, so a stopped loop cannot hang a browser forever).
#pragma once

#include "app/AppSettings.h"
#include "app/Bridge.h"
#include "app/EventLoop.h"
#include "ports/LinkPort.h"

namespace s2m {

class LoopLinkService : public LinkPort {
  public:
    LoopLinkService(EventLoop& loop, Bridge& bridge, AppSettings& settings)
        : loop_(loop), bridge_(bridge), settings_(settings) {}

    std::vector<AccountView> accounts() override;
    Result<std::string> begin_link(const std::optional<std::string>& account) override;
    Result<std::string> finish_link(const CallbackParams& params) override;
    Status unlink(const std::string& name) override;
    AppView app() override;
    Status save_app(const StoredApp& app) override;
    bool healthy() override;
    std::vector<std::string> warnings() override { return bridge_.health_warnings(); }

  private:
    EventLoop& loop_;
    Bridge& bridge_;
    AppSettings& settings_;
};

}  // namespace s2m
