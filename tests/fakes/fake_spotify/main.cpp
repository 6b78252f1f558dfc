// fake_spotify: a stand-in for accounts.spotify.com and api.spotify.com/v1 on loopback, for the
// integration tests and `--demo` mode. See ControlApi.h for the test control API.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "FakeServer.h"

namespace {

const char* kUsage = R"(Usage: fake_spotify [options]

A fake Spotify accounts service (GET /authorize, POST /api/token) and Web API (/v1/...) for
tests and demos.

Options:
  --listen HOST:PORT     address to listen on [127.0.0.1:0]; port 0 picks a free port
  --port-file PATH       write the bound port number to PATH (atomically) once listening
  --demo                 start with the demo user "alice" (refresh token demo-refresh-token)
  --speed X              simulated time runs X times faster than real time [1]
  --client ID:SECRET     register a confidential app (repeatable)
  --public-client ID     register a public (PKCE) app without secret (repeatable)
  --redirect-uri URI     add URI to the redirect URIs of every app above (repeatable); plain
                         http:// only for 127.0.0.1 and [::1], where a URI without a port
                         matches any port
  --tls-cert PEM --tls-key PEM
                         serve HTTPS with this certificate and key (for TLS tests)
  --help                 show this help

The app fake-client-id / fake-client-secret is always registered. Every app accepts the
redirect URI http://127.0.0.1:8888/callback. /authorize shows a consent page listing the fake's
users; POST /_control/apps and POST /_control/authorize (see ControlApi.h) register apps and
issue codes at run time. Once listening, one line "fake_spotify listening on http://HOST:PORT"
is printed. SIGTERM or SIGINT stops it (exit 0).
)";

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "fake_spotify: " << message << "\n(see --help)\n";
    std::exit(2);
}

fake_spotify::Options parse_args(int argc, char** argv) {
    fake_spotify::Options options;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage_error(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            std::exit(0);
        } else if (arg == "--listen") {
            std::string listen = value();
            auto colon = listen.rfind(':');
            auto port = colon == std::string::npos
                            ? std::nullopt
                            : fake_spotify::parse_int(listen.substr(colon + 1));
            if (!port || *port < 0 || *port > 65535 || colon == 0)
                usage_error("bad --listen " + listen);
            options.host = listen.substr(0, colon);
            options.port = static_cast<int>(*port);
        } else if (arg == "--port-file") {
            options.port_file = value();
        } else if (arg == "--demo") {
            options.demo = true;
        } else if (arg == "--speed") {
            std::string text = value();
            char* end = nullptr;
            options.speed = std::strtod(text.c_str(), &end);
            if (end == text.c_str() || *end != '\0' || !(options.speed > 0))
                usage_error("bad --speed " + text);
        } else if (arg == "--client") {
            std::string pair = value();
            auto colon = pair.find(':');
            if (colon == std::string::npos || colon == 0) usage_error("--client needs ID:SECRET");
            options.clients.push_back({pair.substr(0, colon), pair.substr(colon + 1)});
        } else if (arg == "--public-client") {
            std::string id = value();
            if (id.empty()) usage_error("--public-client needs an ID");
            options.clients.push_back({id, std::nullopt});
        } else if (arg == "--tls-cert") {
            options.tls_cert = value();
        } else if (arg == "--tls-key") {
            options.tls_key = value();
        } else if (arg == "--redirect-uri") {
            std::string uri = value();
            if (auto problem = fake_spotify::redirect_uri_problem(uri))
                usage_error("--redirect-uri " + uri + " " + *problem);
            options.redirect_uris.push_back(uri);
        } else {
            usage_error("unknown argument " + arg);
        }
    }
    if (options.tls_cert.empty() != options.tls_key.empty())
        usage_error("--tls-cert and --tls-key go together");
    return options;
}

// Written to a temporary file and renamed, so a reader never sees a half-written port.
bool write_port_file(const std::string& path, int port) {
    std::string tmp = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << port << "\n";
        if (!out.flush()) return false;
    }
    return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
    fake_spotify::Options options = parse_args(argc, argv);

    // Block the stop signals in every thread; one thread waits for them synchronously, which
    // keeps all real work out of signal-handler context.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    fake_spotify::FakeServer server(options);
    if (!server.valid()) {
        std::cerr << "fake_spotify: cannot load the TLS certificate " << options.tls_cert
                  << " or key " << options.tls_key << "\n";
        return 1;
    }
    int port = server.bind();
    if (port <= 0) {
        std::cerr << "fake_spotify: cannot listen on " << options.host << ":" << options.port
                  << "\n";
        return 1;
    }
    std::atomic<bool> signalled = false;
    std::thread signal_thread([&] {
        int signal_number = 0;
        sigwait(&stop_signals, &signal_number);
        signalled = true;
        server.stop();
    });

    std::cout << "fake_spotify listening on " << (options.tls_cert.empty() ? "http" : "https")
              << "://" << options.host << ":" << port << std::endl;
    if (!options.port_file.empty() && !write_port_file(options.port_file, port)) {
        std::cerr << "fake_spotify: cannot write " << options.port_file << "\n";
        pthread_kill(signal_thread.native_handle(), SIGTERM);
        signal_thread.join();
        return 1;
    }
    bool served = server.run();
    // Wakes the signal thread if the server ended on its own.
    if (!signalled) pthread_kill(signal_thread.native_handle(), SIGTERM);
    signal_thread.join();
    return served || signalled ? 0 : 1;
}
