#include "programs/HealthCheckCommand.h"

#include "adapters/http/CurlHttpClient.h"
#include "config/Cli.h"
#include "config/ConfigChecks.h"

namespace s2m {

namespace {

// A container's health check runs every 30 s by default; answer well within Docker's 30 s limit.
constexpr long kConnectTimeoutMs = 2000;
constexpr long kRequestTimeoutMs = 5000;

}  // namespace

std::optional<std::string> healthz_url(const std::optional<std::string>& listen) {
    if (!listen) return std::nullopt;
    // web.listen was checked with the config; the defaults below stand in should it not parse.
    UrlParts parts = split_url("http://" + *listen).value_or(UrlParts{});
    std::string host = parts.host;
    if (parts.host_is_ipv6) {
        host = "[" + (host == "::" ? std::string("::1") : host) + "]";
    } else if (host == "0.0.0.0" || host.empty()) {
        host = "127.0.0.1";
    }
    return "http://" + host + ":" + std::to_string(parts.port.value_or(8888)) + "/healthz";
}

int run_healthcheck(const Config& config, std::ostream& out) {
    std::optional<std::string> url = healthz_url(config.web.listen);
    if (!url) {
        out << "healthcheck: web.listen is null, so the bridge serves no /healthz to ask; set "
               "web.listen (e.g. 127.0.0.1:8888) to use this command\n";
        return kExitConfig;
    }
    CurlHttpClient client(CurlOptions{.connect_timeout_ms = kConnectTimeoutMs});
    HttpRequest request;
    request.url = *url;
    request.timeout_ms = kRequestTimeoutMs;
    auto response = client.send(request);
    if (!response) {
        out << "unhealthy: no answer from " << *url << " (" << response.error().message
            << "); is the bridge running with this configuration?\n";
        return kExitUnhealthy;
    }
    if (response->status != 200) {
        out << "unhealthy: " << *url << " answered " << response->status
            << " (not connected to the MQTT broker, or the bridge's loop is stuck; see its log)\n";
        return kExitUnhealthy;
    }
    out << "healthy: " << *url << " answered 200\n";
    return kExitOk;
}

}  // namespace s2m
