#include "model/CallLog.h"

#include <algorithm>
#include <chrono>

namespace s2m::bench {

std::string CallLog::kind_of(const nlohmann::json& entry) {
    std::string method = entry.value("method", "");
    std::string path = entry.value("path", "");
    if (path == "/api/token") return "token";
    if (method == "GET" && path == "/v1/me/player") return "player";
    if (method == "GET" && path == "/v1/me/player/devices") return "devices";
    if (method == "GET" && path == "/v1/me/playlists") return "playlists";
    if (method == "GET" && path == "/v1/me/player/queue") return "queue";
    if (method == "GET" && path == "/v1/me/library/contains") return "liked";
    if (method == "GET" && path == "/v1/me/player/recently-played") return "recent";
    if (method == "GET" && path.starts_with("/v1/me/top/")) return "top";
    return "other";
}

void CallLog::drain(const test::FakeSpotifyClient& fake, const DayClock& clock) {
    nlohmann::json entries = fake.requests(seq);
    for (const nlohmann::json& e : entries) {
        seq = std::max(seq, e.value("seq", int64_t{0}));
        if (!e["user"].is_string()) continue;
        // The fake stamps each request with the same monotonic clock the bench runs on.
        DayClock::Clock::time_point arrived{
            std::chrono::microseconds(e.value("mono_us", int64_t{0}))};
        by_user[e["user"]].push_back(Call{clock.day_ms(arrived), kind_of(e)});
    }
}

CallLogDrainer::CallLogDrainer(CallLog& log, const test::FakeSpotifyClient& fake,
                               const DayClock& clock)
    : log_(log), fake_(fake), clock_(clock) {
    thread_ = std::thread([this] {
        while (!day_over_) {
            std::this_thread::sleep_for(std::chrono::seconds(2));
            log_.drain(fake_, clock_);
        }
    });
}

CallLogDrainer::~CallLogDrainer() {
    day_over_ = true;
    if (thread_.joinable()) thread_.join();
}

void CallLogDrainer::stop() {
    day_over_ = true;
    thread_.join();
    log_.drain(fake_, clock_);
}

DayRun calls_in_day(const std::vector<CallLog::Call>& calls, int64_t from_ms, int64_t to_ms) {
    DayRun run;
    for (const auto& call : calls) {
        if (call.at_ms < from_ms || call.at_ms >= to_ms) continue;
        if (call.kind == "player") {
            ++run.player_calls;
        } else if (call.kind == "devices") {
            ++run.device_calls;
        } else if (call.kind == "playlists") {
            ++run.playlist_calls;
        } else if (call.kind == "queue") {
            ++run.queue_calls;
        } else if (call.kind == "liked") {
            ++run.liked_calls;
        } else if (call.kind == "recent") {
            ++run.recent_calls;
        } else if (call.kind == "top") {
            ++run.top_calls;
        } else if (call.kind == "token") {
            ++run.token_calls;
        } else {
            ++run.other_calls;
        }
    }
    return run;
}

void StateHours::add(const ListeningDay& day, const std::vector<CallLog::Call>& calls_of_day) {
    const auto& segments = day.segments();
    for (size_t i = 0; i < segments.size(); ++i) {
        int64_t end = i + 1 < segments.size() ? segments[i + 1].start_ms : day.length_ms();
        hours[segments[i].state] += static_cast<double>(end - segments[i].start_ms) / 3.6e6;
    }
    for (const auto& call : calls_of_day) {
        if (call.at_ms < 0 || call.at_ms >= day.length_ms()) continue;
        calls[segments[day.segment_at(call.at_ms)].state] += 1;
    }
}

double StateHours::per_hour(PlayerState state) const {
    auto h = hours.find(state);
    auto c = calls.find(state);
    return h == hours.end() || h->second <= 0 || c == calls.end() ? 0 : c->second / h->second;
}

}  // namespace s2m::bench
