#include "programs/LinkCommand.h"

#include <httplib.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "adapters/http/CurlHttpClient.h"
#include "adapters/store/FileAppStore.h"
#include "adapters/store/FileTokenStore.h"
#include "adapters/system/SecureRandom.h"
#include "adapters/web/HttpExchange.h"
#include "adapters/web/Pages.h"
#include "app/AppSettings.h"
#include "app/Bridge.h"
#include "app/BridgeClock.h"
#include "app/LinkJob.h"
#include "config/Cli.h"
#include "config/ConfigChecks.h"

namespace s2m {

namespace {

// What the person did: Spotify's redirect reached us, or they pasted an address, or gave up.
class Answers {
  public:
    void add(std::string text, bool from_callback) {
        std::lock_guard lock(mutex_);
        queue_.push_back({std::move(text), from_callback});
        changed_.notify_all();
    }
    void close_stdin() {
        std::lock_guard lock(mutex_);
        stdin_closed_ = true;
        changed_.notify_all();
    }
    struct Answer {
        std::string text;
        bool from_callback = false;
    };
    // The next answer; nullopt at the deadline, or when stdin ended and no callback can come.
    std::optional<Answer> next(std::chrono::steady_clock::time_point deadline, bool serving) {
        std::unique_lock lock(mutex_);
        changed_.wait_until(lock, deadline,
                            [&] { return !queue_.empty() || (stdin_closed_ && !serving); });
        if (queue_.empty()) return std::nullopt;
        Answer answer = std::move(queue_.front());
        queue_.erase(queue_.begin());
        return answer;
    }
    // The callback handler waits for the verdict to show it in the browser.
    void set_verdict(std::string verdict, bool ok) {
        std::lock_guard lock(mutex_);
        verdict_ = {std::move(verdict), ok};
        changed_.notify_all();
    }
    std::optional<std::pair<std::string, bool>> wait_verdict(std::chrono::seconds timeout) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return verdict_.has_value(); });
        auto verdict = verdict_;
        verdict_.reset();
        return verdict;
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Answer> queue_;
    bool stdin_closed_ = false;
    std::optional<std::pair<std::string, bool>> verdict_;
};

// Reads lines from stdin until `stop`, without blocking forever (so the thread can be joined).
void read_stdin(Answers& answers, const std::atomic<bool>& stop) {
    std::string buffer;
    char chunk[1024];
    while (!stop) {
        pollfd fd{STDIN_FILENO, POLLIN, 0};
        if (::poll(&fd, 1, 200) <= 0) continue;
        ssize_t got = ::read(STDIN_FILENO, chunk, sizeof chunk);
        if (got <= 0) break;
        buffer.append(chunk, static_cast<size_t>(got));
        for (size_t end; (end = buffer.find('\n')) != std::string::npos;) {
            std::string line = buffer.substr(0, end);
            buffer.erase(0, end + 1);
            if (line.find_first_not_of(" \t\r") != std::string::npos) answers.add(line, false);
        }
    }
    if (buffer.find_first_not_of(" \t\r\n") != std::string::npos) answers.add(buffer, false);
    answers.close_stdin();
}

// cpp-httplib's default socket options add SO_REUSEPORT, with which this command could bind the
// port a running bridge's page listens on: the kernel would then split the page's connections
// (its /healthz included) between the two processes. SO_REUSEADDR alone never shares a port that
// is listened on; it only lets a port left in TIME_WAIT by the last link be bound again.
void exclusive_socket_options(socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

// Serves Spotify's redirect on the redirect URI's loopback address, if that port is free.
std::unique_ptr<httplib::Server> serve_callback(const SpotifyConfig& spotify, Answers& answers) {
    Result<UrlParts> split = split_url(spotify.redirect_uri);
    if (!split || split->scheme != "http" || !split->port) return nullptr;
    const UrlParts& redirect = split.value();
    auto server = std::make_unique<httplib::Server>();
    server->set_socket_options(exclusive_socket_options);
    server->set_payload_max_length(16 * 1024);
    server->set_read_timeout(10, 0);
    std::string path = redirect.path.substr(0, redirect.path.find('?'));
    // Every path, then compared literally: httplib would take the path as a regex (`/cb(` threw,
    // `/call.back` answered `/callXback`).
    std::string callback_path = path.empty() ? "/" : decode_path(path);
    server->Get(".*", [&answers, callback_path](const httplib::Request& req,
                                                httplib::Response& res) {
        if (req.path != callback_path) {
            res.status = 404;
            return;
        }
        answers.add(req.target, true);
        auto verdict = answers.wait_verdict(std::chrono::seconds(30));
        bool ok = verdict && verdict->second;
        std::string message = verdict ? verdict->first : "The terminal did not answer in time.";
        res.status = ok ? 200 : 400;
        res.set_content(render_message_page(ok ? "Account linked" : "Linking failed", message, ok),
                        "text/html; charset=utf-8");
    });
    if (!server->bind_to_port(redirect.host, *redirect.port)) return nullptr;
    return server;
}

// The account page of a spotify2mqtt bridge holding the redirect URI's port, if one does ("http://
// host:port/"): its /healthz answers 200 or 503 and its /metrics names our metrics.
std::optional<std::string> bridge_page_at(const SpotifyConfig& spotify) {
    Result<UrlParts> split = split_url(spotify.redirect_uri);
    if (!split || split->scheme != "http" || !split->port) return std::nullopt;
    const UrlParts& redirect = split.value();
    httplib::Client client(redirect.host, *redirect.port);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(3, 0);
    auto health = client.Get("/healthz");
    if (!health || (health->status != 200 && health->status != 503)) return std::nullopt;
    auto metrics = client.Get("/metrics");
    if (!metrics || metrics->status != 200 ||
        metrics->body.find("spotify2mqtt_") == std::string::npos) {
        return std::nullopt;
    }
    std::string host = redirect.host_is_ipv6 ? "[" + redirect.host + "]" : redirect.host;
    return "http://" + host + ":" + std::to_string(*redirect.port) + "/";
}

std::string describe(const AccountRecord& record) {
    std::string text = "\"" + record.name + "\"";
    if (record.display_name) text += " (Spotify user " + *record.display_name + ")";
    if (record.premium) text += *record.premium ? ", Premium" : ", not Premium: read only";
    return text;
}
}  // namespace

int run_link_command(const Config& configured, const std::optional<std::string>& account) {
    // The app entered on the account page counts too; the config and the environment win.
    const Config config = with_page_app(configured, FileAppStore(configured.state_dir));
    // An account with its own Spotify app links through that app.
    const SpotifyConfig app = config.spotify_for(account.value_or(""));
    if (app.client_id.empty()) {
        std::cerr << "spotify2mqtt link: no Spotify app is set up yet. Create an app at "
                     "https://developer.spotify.com/dashboard, register the redirect URI "
                  << app.redirect_uri
                  << ", then enter its Client ID on the account page or put it in "
                     "spotify.client_id in the config.\n";
        return kExitConfig;
    }
    std::unique_ptr<FileTokenStore> store;
    try {
        store = std::make_unique<FileTokenStore>(config.state_dir);
    } catch (const std::exception& e) {
        std::cerr << "spotify2mqtt link: state_dir " << config.state_dir
                  << " is not usable: " << e.what() << "\n";
        return kExitCantCreate;
    }
    PendingAuthorizations pending(secure_random_bytes);
    auto now = unix_now_ms();
    PendingAuthorization request = pending.begin(account, now);
    std::string state = request.state;

    Answers answers;
    auto server = serve_callback(app, answers);
    std::thread server_thread;
    if (server) server_thread = std::thread([&] { server->listen_after_bind(); });
    std::atomic<bool> stop_reading = false;
    std::thread reader([&] { read_stdin(answers, stop_reading); });

    std::cout << "Open this address in a browser, sign in to Spotify and agree:\n\n  "
              << authorize_url(app, request) << "\n\n";
    std::optional<std::string> bridge_page = server ? std::nullopt : bridge_page_at(app);
    if (server) {
        std::cout << "Waiting for Spotify to send the browser back to " << app.redirect_uri
                  << " ...\nIf that page does not load (browser on another machine), paste its "
                     "address here and press Enter.\n";
    } else if (bridge_page) {
        // Hand over: the bridge receives Spotify's redirect, but only this process knows the
        // request's state and PKCE verifier, so the bridge's page sends the person back here.
        std::cout << "A running spotify2mqtt bridge serves the account page on " << *bridge_page
                  << " and receives Spotify's redirect there, so this command does not listen "
                     "on that port. Either:\n  - link on that page: open "
                  << *bridge_page << ", press \"Link a Spotify account\""
                  << (account ? " (name: " + *account + ")" : std::string())
                  << ", then stop this command with Ctrl-C; or\n  - finish here: open the "
                     "address above and agree. The bridge's page then says it does not know "
                     "this link request: copy the address from the browser's address bar, "
                     "paste it here and press Enter.\n";
    } else {
        std::cout << "The redirect address " << app.redirect_uri
                  << " is not served here (not an http loopback address, or another program "
                     "holds its port). After agreeing, copy the address the browser landed on, "
                     "paste it here and press Enter.\n";
    }
    std::cout.flush();

    int exit_code = kExitFailed;
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::milliseconds(PendingAuthorizations::kLifetimeMs);
    CurlOptions curl;
    curl.ca_file = app.ca_file;
    CurlHttpClient http(curl);
    bool answered = false;
    while (auto answer = answers.next(deadline, server != nullptr)) {
        answered = true;
        auto verdict = [&](const std::string& message, bool ok) {
            if (answer->from_callback) answers.set_verdict(message, ok);
            (ok ? std::cout : std::cerr) << message << "\n";
        };
        auto params = parse_callback(answer->text);
        if (!params) {
            verdict("That is not it: " + params.error().message + ". Try again.", false);
            continue;
        }
        if (params->state != state) {
            verdict(
                "That address belongs to another link request (its state differs). Paste the "
                "address from this link's redirect.",
                false);
            continue;
        }
        if (!params->error.empty()) {
            verdict(describe_authorize_error(params->error) + ".", false);
            break;
        }
        auto redeemed = redeem_code(http, app, params->code, request.verifier);
        if (!redeemed) {
            verdict("Linking failed: " + redeemed.error().message + ".", false);
            break;
        }
        std::vector<LinkedName> existing;
        for (const AccountRecord& record : store->load_all())
            existing.push_back({record.name, record.user_id});
        auto name = choose_account_name(account, redeemed->profile.id, existing);
        if (!name) {
            verdict("Linking failed: " + name.error().message + ".", false);
            break;
        }
        AccountRecord record = linked_record(redeemed.value(), name.value(), unix_now_ms());
        record.client_id = app.client_id;
        if (auto saved = store->save(record); !saved) {
            verdict("Linking failed: " + saved.error().message + ".", false);
            break;
        }
        verdict("Linked " + describe(record) +
                    ". A running bridge starts polling it within a few "
                    "seconds. You can close the browser window.",
                true);
        exit_code = 0;
        break;
    }
    if (exit_code != 0 && std::chrono::steady_clock::now() >= deadline) {
        std::cerr
            << "Gave up: nothing came back within 10 minutes. Run `spotify2mqtt link` again.\n";
    } else if (exit_code != 0 && !answered) {
        std::cerr << "Nothing to wait for: stdin ended and no callback can reach this terminal.\n";
    }
    stop_reading = true;
    reader.join();
    if (server) {
        server->stop();
        server_thread.join();
    }
    return exit_code;
}

}  // namespace s2m
