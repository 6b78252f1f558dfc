// Internal to command planning (CommandPlan.cpp, and the keys' plan functions in CommandKeys.cpp
// and CommandPlay.cpp): the state of planning one message, and the steps the keys share. The
// device rules it applies are described in core/CommandPlan.h.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/CommandPlan.h"
#include "spotify/Endpoints.h"

namespace s2m {

// One message's plan, built key by key in the order of the command key table. Every step that
// returns bool returns false once planning stops; outcome() then says why (an error, or which
// knowledge to fetch before planning again).
class Planning {
  public:
    explicit Planning(const AccountKnowledge& known);

    const AccountKnowledge& known() const { return known_; }
    // Where controls go now: the active device, or the device this plan moved playback to.
    const std::optional<Device>& active() const { return active_; }
    bool playing() const { return playing_; }
    CommandPlan& plan() { return plan_; }

    bool stop(PlanOutcome why);  // an error or a refresh; always false
    void add(endpoint::Request request);
    // A call that needs something active and controllable.
    bool control(endpoint::Request request);
    // A device by name or id; UNKNOWN_DEVICE (after a fresh device list) or not controllable.
    bool resolve_device(const std::string& name_or_id, std::optional<Device>& out);
    void transfer(const Device& device);
    // The device a message named for playback that a play or playlist key starts.
    void start_on(const Device& device) { start_device_ = device; }
    const std::optional<Device>& start_device() const { return start_device_; }
    // The device playback starts on when `device` is unset: the active one, else idle_target.
    bool playback_device(std::optional<Device>& device);
    // When nothing is active: the last device used, else the only unrestricted one.
    bool idle_target(std::optional<Device>& out);
    // Starts `body` (a context or items; {} for what was there) on `device`.
    void start(const Device& device, nlohmann::json body, std::string action);
    // A playlist of the account by name (exact first, then case-insensitive).
    bool find_playlist(const std::string& name, std::string& uri);
    // The same, giving the whole entry (its owner and collaborative flag).
    bool find_playlist_entry(const std::string& name, const Playlist*& out);

    PlanOutcome outcome();  // the plan, or why planning stopped

  private:
    const AccountKnowledge& known_;
    CommandPlan plan_;
    std::optional<Device> active_;
    std::optional<Device> start_device_;
    bool playing_ = false;
    std::optional<PlanOutcome> stop_;
};

// DEVICE_NOT_CONTROLLABLE for a restricted device.
CommandError not_controllable(const Device& device);

}  // namespace s2m
