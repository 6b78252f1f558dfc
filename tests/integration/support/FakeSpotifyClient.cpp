#include "FakeSpotifyClient.h"

#include <httplib.h>

#include <stdexcept>
#include <thread>
#include <utility>

namespace s2m::test {

namespace {

using nlohmann::json;

// Generous: a fault may hold the fake's workers, but never its control API for long.
constexpr time_t kTimeoutS = 10;

httplib::Client make_client(const std::string& base_url, const std::filesystem::path& ca_cert) {
    httplib::Client client(base_url);
    if (!ca_cert.empty()) client.set_ca_cert_path(ca_cert.c_str());
    client.set_connection_timeout(kTimeoutS, 0);
    client.set_read_timeout(kTimeoutS, 0);
    client.set_write_timeout(kTimeoutS, 0);
    return client;
}

std::string describe(const std::string& method, const std::string& path) {
    return "fake_spotify " + method + " " + path;
}

}  // namespace

FakeSpotifyClient::FakeSpotifyClient(std::string base_url, std::filesystem::path ca_cert)
    : base_url_(std::move(base_url)), ca_cert_(std::move(ca_cert)) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

json FakeSpotifyClient::call(const std::string& method, const std::string& path,
                             const json* body) const {
    auto client = make_client(base_url_, ca_cert_);
    std::string payload = body ? body->dump() : std::string();
    const char* type = "application/json";
    auto send = [&]() -> httplib::Result {
        if (method == "GET") return client.Get(path);
        if (method == "POST") return client.Post(path, payload, type);
        if (method == "PUT") return client.Put(path, payload, type);
        if (method == "DELETE") return client.Delete(path);
        throw std::logic_error("unsupported method " + method);
    };
    httplib::Result result = send();
    if (!result) {
        throw std::runtime_error(describe(method, path) + ": no answer (" +
                                 httplib::to_string(result.error()) + ")");
    }
    if (result->status < 200 || result->status > 299) {
        throw std::runtime_error(describe(method, path) + " answered " +
                                 std::to_string(result->status) + ": " + result->body);
    }
    if (result->body.empty()) return json();
    json parsed = json::parse(result->body, nullptr, false);
    if (parsed.is_discarded()) {
        throw std::runtime_error(describe(method, path) + " answered non-JSON: " + result->body);
    }
    return parsed;
}

bool FakeSpotifyClient::healthy() const {
    auto client = make_client(base_url_, ca_cert_);
    client.set_connection_timeout(1, 0);
    auto result = client.Get("/_control/health");
    return result && result->status == 200;
}

bool FakeSpotifyClient::wait_healthy(std::chrono::milliseconds timeout) const {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (healthy()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return healthy();
}

json FakeSpotifyClient::create_user(const json& spec) const {
    return call("POST", "/_control/users", &spec);
}

json FakeSpotifyClient::user(const std::string& id) const {
    return call("GET", "/_control/users/" + id, nullptr);
}

json FakeSpotifyClient::set_playback(const std::string& id, const json& change) const {
    return call("POST", "/_control/users/" + id + "/playback", &change);
}

json FakeSpotifyClient::set_devices(const std::string& id, const json& devices) const {
    return call("PUT", "/_control/users/" + id + "/devices", &devices);
}

json FakeSpotifyClient::set_profile(const std::string& id, const json& profile) const {
    return call("POST", "/_control/users/" + id + "/profile", &profile);
}

json FakeSpotifyClient::revoke_refresh_tokens(const std::string& id) const {
    json empty = json::object();
    return call("POST", "/_control/users/" + id + "/revoke", &empty);
}

json FakeSpotifyClient::expire_access_tokens(const std::string& id) const {
    json empty = json::object();
    return call("POST", "/_control/users/" + id + "/expire_tokens", &empty);
}

std::string FakeSpotifyClient::refresh_token(const std::string& id) const {
    json state = user(id);
    return state["refresh_token"].is_string() ? state["refresh_token"].get<std::string>() : "";
}

json FakeSpotifyClient::register_app(const std::string& client_id,
                                     const std::optional<std::string>& client_secret,
                                     const std::vector<std::string>& redirect_uris) const {
    json app = {{"client_id", client_id},
                {"client_secret", client_secret ? json(*client_secret) : json(nullptr)},
                {"redirect_uris", redirect_uris}};
    return call("POST", "/_control/apps", &app);
}

json FakeSpotifyClient::authorize(const json& request) const {
    return call("POST", "/_control/authorize", &request);
}

json FakeSpotifyClient::agree_as(const std::string& user,
                                 const std::map<std::string, std::string>& query) const {
    json request = {{"user", user}};
    for (const char* field : {"client_id", "redirect_uri", "state", "scope", "code_challenge"}) {
        auto found = query.find(field);
        request[field] = found == query.end() ? "" : found->second;
    }
    return authorize(request);
}

int64_t FakeSpotifyClient::add_fault(const json& rule) const {
    return call("POST", "/_control/faults", &rule).at("id").get<int64_t>();
}

int64_t FakeSpotifyClient::add_rate_limit(const std::string& path_prefix, int retry_after_s,
                                          int count) const {
    return add_fault({{"path_prefix", path_prefix},
                      {"status", 429},
                      {"headers", {{"Retry-After", std::to_string(retry_after_s)}}},
                      {"count", count}});
}

json FakeSpotifyClient::faults() const {
    return call("GET", "/_control/faults", nullptr);
}

void FakeSpotifyClient::remove_fault(int64_t id) const {
    call("DELETE", "/_control/faults/" + std::to_string(id), nullptr);
}

void FakeSpotifyClient::clear_faults() const {
    call("DELETE", "/_control/faults", nullptr);
}

json FakeSpotifyClient::requests(int64_t since) const {
    return call("GET", "/_control/requests?since=" + std::to_string(since), nullptr);
}

json FakeSpotifyClient::requests_to(const std::string& method, const std::string& path,
                                    int64_t since) const {
    json matching = json::array();
    for (const auto& entry : requests(since)) {
        if (entry.at("method") == method && entry.at("path") == path) matching.push_back(entry);
    }
    return matching;
}

int64_t FakeSpotifyClient::last_seq() const {
    json log = requests(0);
    return log.empty() ? 0 : log.back().at("seq").get<int64_t>();
}

void FakeSpotifyClient::clear_requests() const {
    call("DELETE", "/_control/requests", nullptr);
}

json FakeSpotifyClient::clock() const {
    return call("GET", "/_control/clock", nullptr);
}

json FakeSpotifyClient::set_clock_speed(double speed) const {
    json body = {{"speed", speed}};
    return call("POST", "/_control/clock", &body);
}

json FakeSpotifyClient::advance_clock(int64_t ms) const {
    json body = {{"advance_ms", ms}};
    return call("POST", "/_control/clock", &body);
}

FakeSpotifyClient::TokenAnswer FakeSpotifyClient::refresh(const std::string& client_id,
                                                          const std::string& client_secret,
                                                          const std::string& refresh_token) const {
    auto client = make_client(base_url_, ca_cert_);
    client.set_basic_auth(client_id, client_secret);
    httplib::Params form = {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}};
    auto result = client.Post("/api/token", form);
    if (!result) {
        throw std::runtime_error("fake_spotify POST /api/token: no answer (" +
                                 httplib::to_string(result.error()) + ")");
    }
    return {result->status, json::parse(result->body, nullptr, false)};
}

}  // namespace s2m::test
