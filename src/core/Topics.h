// Every MQTT topic of docs/mqtt.md#topics, built from the configured base topic in one place.
#pragma once

#include <string>

namespace s2m {

class Topics {
  public:
    explicit Topics(std::string base) : base_(std::move(base)) {}

    const std::string& base() const { return base_; }
    std::string bridge_state() const { return base_ + "/bridge/state"; }
    std::string bridge_info() const { return base_ + "/bridge/info"; }
    std::string bridge_event() const { return base_ + "/bridge/event"; }
    std::string bridge_requests() const { return base_ + "/bridge/request/+"; }
    std::string bridge_response(const std::string& request) const {
        return base_ + "/bridge/response/" + request;
    }
    std::string account(const std::string& name) const { return base_ + "/" + name; }
    std::string availability(const std::string& name) const {
        return account(name) + "/availability";
    }
    std::string devices(const std::string& name) const { return account(name) + "/devices"; }
    std::string playlists(const std::string& name) const { return account(name) + "/playlists"; }
    std::string queue(const std::string& name) const { return account(name) + "/queue"; }
    std::string recent(const std::string& name) const { return account(name) + "/recent"; }
    std::string top(const std::string& name) const { return account(name) + "/top"; }
    std::string response(const std::string& name) const { return account(name) + "/response"; }
    std::string set(const std::string& name) const { return account(name) + "/set"; }
    std::string set_key(const std::string& name) const { return account(name) + "/set/+"; }
    std::string get(const std::string& name) const { return account(name) + "/get"; }

  private:
    std::string base_;
};

}  // namespace s2m
