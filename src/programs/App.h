// Wires the bridge together: token store, HTTP workers, MQTT, loop. run() blocks on the calling
// thread (which becomes the loop thread) until stop() is called from any thread.
#pragma once

#include <atomic>

#include "app/EventLoop.h"
#include "config/Config.h"

namespace s2m {

class App {
  public:
    explicit App(Config config) : config_(std::move(config)) {}

    // Returns the process exit code: 0 after a clean stop, 73 when the state directory is
    // unusable.
    int run();
    void stop() { loop_.stop(); }

  private:
    Config config_;
    EventLoop loop_;
};

}  // namespace s2m
