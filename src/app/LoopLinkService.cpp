#include "app/LoopLinkService.h"

#include <future>
#include <memory>

namespace s2m {

namespace {
constexpr auto kLoopAnswerTimeout = std::chrono::seconds(5);
// Finishing a link waits for two Spotify calls, each with its own 10 s timeout.
constexpr auto kLinkTimeout = std::chrono::seconds(25);

Error loop_unavailable() {
    return Error{ErrorKind::Internal, "the bridge did not answer in time (is it shutting down?)"};
}

// Runs `fn` on the loop and waits for its result.
template <typename T, typename Fn>
std::optional<T> on_loop(EventLoop& loop, Fn fn) {
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    loop.post([promise, fn = std::move(fn)]() mutable { promise->set_value(fn()); });
    if (future.wait_for(kLoopAnswerTimeout) != std::future_status::ready) return std::nullopt;
    return future.get();
}
}  // namespace

std::vector<AccountView> LoopLinkService::accounts() {
    return on_loop<std::vector<AccountView>>(loop_, [this] { return bridge_.account_views(); })
        .value_or(std::vector<AccountView>{});
}

Result<std::string> LoopLinkService::begin_link(const std::optional<std::string>& account) {
    auto url = on_loop<Result<std::string>>(
        loop_, [this, account] { return bridge_.begin_link(account); });
    return url ? *url : Result<std::string>(loop_unavailable());
}

Result<std::string> LoopLinkService::finish_link(const CallbackParams& params) {
    auto promise = std::make_shared<std::promise<Result<std::string>>>();
    auto future = promise->get_future();
    loop_.post([this, params, promise] {
        bridge_.finish_link(
            params, [promise](Result<std::string> name) { promise->set_value(std::move(name)); });
    });
    if (future.wait_for(kLinkTimeout) != std::future_status::ready) return loop_unavailable();
    return future.get();
}

Status LoopLinkService::unlink(const std::string& name) {
    auto removed = on_loop<Status>(loop_, [this, name] { return bridge_.unlink(name); });
    return removed ? *removed : Status(loop_unavailable());
}

AppView LoopLinkService::app() {
    return on_loop<AppView>(loop_, [this] { return bridge_.app_view(); }).value_or(AppView{});
}

Status LoopLinkService::save_app(const StoredApp& app) {
    auto saved = on_loop<Status>(loop_, [this, app] { return settings_.save(bridge_, app); });
    return saved ? *saved : Status(loop_unavailable());
}

bool LoopLinkService::healthy() {
    // Answering at all proves the loop is alive.
    return on_loop<bool>(loop_, [this] { return bridge_.mqtt_connected(); }).value_or(false);
}

}  // namespace s2m
