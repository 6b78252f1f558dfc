#include "app/modules/UpNextModule.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/UpNext.h"

namespace s2m {

namespace {

// On a worker: one GET /me/player/queue with the token the loop had. The job may not renew the
// token (only polls and commands hold that right), so an expiring token defers the read.
QueueOutcome run_queue_read(HttpClient& http, const JobRequest& request,
                            const std::function<int64_t()>& now_ms) {
    ApiSession session(http, request, now_ms);
    QueueOutcome outcome;
    if (session.ensure_fresh_token())
        outcome.queue = session.read<PlayQueue>([](WebApi& api) { return api.queue(); });
    static_cast<SessionResult&>(outcome) = session.result();
    return outcome;
}

}  // namespace

void UpNextModule::on_account_added(Account& account) {
    queues_[account.name] = Queue{};
}

void UpNextModule::on_account_removed(const std::string& name) {
    if (auto it = queues_.find(name); it != queues_.end()) {
        loop_.cancel(it->second.wait.retry_timer);
        queues_.erase(it);  // a read still running reports to nobody
    }
    core_.publish(core_.topics().queue(name), "", true);
}

void UpNextModule::on_state_published(Account& account) {
    const std::optional<PlaybackState>& shown = state_.seen(account.name).published;
    if (!shown) return;
    Queue& queue = queues_[account.name];
    if (shown->state == PlayerState::Idle) {
        queue.read_for.reset();  // whatever plays next time is news
        show(account, queue_payload({}).dump());
        return;
    }
    if (!queue_read_due(*shown, queue.read_for)) return;
    queue.read_for = shown->track->uri;
    read_queue(account, false);
}

void UpNextModule::on_command_succeeded(Account& account, const CommandSet& commands) {
    // These change what comes next without necessarily changing the item (a queued song).
    if (commands.queue || commands.play || commands.playlist) read_queue(account, true);
}

void UpNextModule::on_poll_finished(Account& account) {
    resume_after_poll(account, queues_[account.name].wait, [this](Account& found) {
        if (auto it = queues_.find(found.name); it != queues_.end())
            read_queue(found, it->second.again_for_command);
    });
}

void UpNextModule::on_publish_retained(const Account& account) {
    auto it = queues_.find(account.name);
    if (it != queues_.end() && it->second.shown)
        core_.publish(core_.topics().queue(account.name), *it->second.shown, true);
}

void UpNextModule::show(Account& account, const std::string& payload) {
    Queue& queue = queues_[account.name];
    if (queue.shown == payload) return;
    queue.shown = payload;
    core_.publish(core_.topics().queue(account.name), payload, true);
}

void UpNextModule::read_queue(Account& account, bool for_command) {
    if (!account.record || account.reauth_required || account.app.empty()) return;
    Queue& queue = queues_[account.name];
    if (queue.in_flight) {
        queue.read_again = true;
        queue.again_for_command |= for_command;
        return;
    }
    // A routine read: it waits for the pace of polls and for a 429 window like a poll does.
    queue.again_for_command |= for_command;
    bool slot = take_routine_slot(account, queue.wait, [this](Account& found) {
        if (auto it = queues_.find(found.name); it != queues_.end())
            read_queue(found, it->second.again_for_command);
    });
    if (!slot) return;
    JobRequest request = side_read_request(account);
    queue.in_flight = true;
    queue.for_command = for_command || queue.again_for_command;
    queue.read_again = false;
    queue.again_for_command = false;
    // Like the PollJob: the job captures the loop, not the module, so a result that arrives
    // after the bridge is gone never runs.
    workers_.submit("queue/" + account.name, [this, loop = &loop_, clock = &core_.clock(),
                                              request = std::move(request)](HttpClient& http) {
        QueueOutcome outcome;
        try {
            outcome = run_queue_read(http, request, [clock] { return clock->now_ms(); });
        } catch (const std::exception& e) {
            outcome.queue = Error{ErrorKind::Internal, std::string("internal error: ") + e.what()};
        }
        loop->post([this, name = request.account, outcome = std::move(outcome)]() mutable {
            on_read_done(name, std::move(outcome));
        });
    });
}

void UpNextModule::on_read_done(const std::string& name, QueueOutcome outcome) {
    Account* found = core_.find(name);
    if (!found) return;  // unlinked meanwhile
    Account& account = *found;
    Queue& queue = queues_[name];
    queue.in_flight = false;
    if (outcome.refresh_deferred) {
        queue.wait.wants_token = true;  // the next poll renews it, then this reads again
        queue.again_for_command |= queue.for_command;
        return;
    }
    if (!outcome.queue) return;  // the token failed; the polls report that
    if (outcome.queue->ok()) {
        const PlayQueue& read = outcome.queue->value();
        // After a command, what Spotify plays now is what the list follows: the poll that shows
        // the command's item then reads nothing more. (After an item change the state's item
        // stays: a queue answer that lags behind it must not make every poll read again.)
        if (queue.for_command && read.current) queue.read_for = read.current->uri;
        const auto& shown = state_.seen(name).published;
        if (shown && shown->state == PlayerState::Idle) {
            show(account, queue_payload({}).dump());
        } else {
            show(account, queue_payload(read.next).dump());
        }
    } else {
        const Error& error = outcome.queue->error();
        queue.read_for.reset();  // the next state change tries again
        if (error.kind == ErrorKind::RateLimited && !is_gate_refusal(error)) {
            gates_.close_for(account, error);
        } else {
            spdlog::warn("{}: could not read the queue: {}", name, error.message);
        }
    }
    if (queue.read_again) read_queue(account, queue.again_for_command);
}

}  // namespace s2m
