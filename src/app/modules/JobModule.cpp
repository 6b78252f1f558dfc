#include "app/modules/JobModule.h"

#include <limits>

#include "core/Durations.h"

namespace s2m {

std::optional<CommandError> JobModule::link_refusal(const Account& account) const {
    if (account.reauth_required) {
        return CommandError{reason::kReauthRequired,
                            "Spotify no longer accepts this account's link: link it again on the "
                            "bridge's web page or with `spotify2mqtt link --account " +
                                account.name + "`."};
    }
    if (!account.record) {
        return CommandError{reason::kNotLinked,
                            "This account is not linked to Spotify yet: link it on the bridge's "
                            "web page or with `spotify2mqtt link --account " +
                                account.name + "`."};
    }
    if (account.app.empty()) {
        // Its tokens came from the config's seed; nothing can renew them without an app.
        return CommandError{reason::kNotLinked, "Not carried out: " + core_.no_app_message() + "."};
    }
    return std::nullopt;
}

std::optional<CommandError> JobModule::rate_limit_refusal(const Account& account) const {
    int64_t now = core_.clock().now_ms();
    if (int64_t until = gates_.rate_limited_until_ms(account); until > now) {
        return CommandError{reason::kRateLimited,
                            "Spotify's rate limit is in force for another " +
                                describe_duration(until - now) +
                                "; the bridge sends nothing until then. Try again afterwards."};
    }
    return std::nullopt;
}

JobRequest JobModule::side_read_request(const Account& account) const {
    const AccountRecord& record = *account.record;
    JobRequest request;
    request.account = account.name;
    request.spotify = core_.config().spotify_for(account.name);
    request.token = TokenSnapshot{record.refresh_token, record.access_token,
                                  record.access_expires_at_ms, /*may_refresh=*/false};
    request.rate_window = gates_.gate_of(account).window;
    return request;
}

bool JobModule::take_routine_slot(const Account& account, SideReadWait& wait,
                                  std::function<void(Account&)> again, int calls, bool background) {
    int64_t now = core_.clock().now_ms();
    RateGate& gate = gates_.gate_of(account).gate;
    loop_.cancel(wait.retry_timer);
    wait.retry_timer = 0;
    // The gate lets a read bigger than its whole allowance go when the bucket is full: asking
    // for that much is how a background read waits for a quiet app (core/RateGate.h).
    const double asked = background ? std::numeric_limits<double>::max() : calls;
    if (int64_t delay = gate.wait_ms(now, asked, Priority::Routine); delay > 0) {
        wait.retry_timer = loop_.post_after(std::chrono::milliseconds(delay),
                                            [this, name = account.name, again = std::move(again)] {
                                                if (Account* found = core_.find(name))
                                                    again(*found);
                                            });
        return false;
    }
    gate.spend(now, calls);
    return true;
}

void JobModule::resume_after_poll(const Account& account, SideReadWait& wait,
                                  std::function<void(Account&)> again) {
    if (!wait.wants_token) return;
    wait.wants_token = false;
    post_for(account.name, std::move(again));
}

void JobModule::post_for(const std::string& name, std::function<void(Account&)> then) {
    loop_.post([this, name, then = std::move(then)] {
        if (Account* found = core_.find(name)) then(*found);
    });
}

}  // namespace s2m
