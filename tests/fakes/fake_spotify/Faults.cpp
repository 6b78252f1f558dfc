#include "Faults.h"

#include <algorithm>

#include "Http.h"

namespace fake_spotify {

namespace {

constexpr int64_t kMaxRawBody = 64 * 1024 * 1024;

bool is_secret_key(const std::string& key) {
    return key == "refresh_token" || key == "access_token" || key == "code" ||
           key == "code_verifier" || key == "client_secret";
}

std::string header_value(const json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

json Fault::to_json() const {
    json headers_json = json::object();
    for (const auto& [name, value] : headers) headers_json[name] = value;
    return {{"id", id},
            {"method", method.empty() ? json(nullptr) : json(method)},
            {"path_prefix", path_prefix},
            {"path", path ? json(*path) : json(nullptr)},
            {"user", user ? json(*user) : json(nullptr)},
            {"status", status},
            {"headers", headers_json},
            {"body_size", body.size()},
            {"delay_ms", delay_ms},
            {"count", remaining},
            {"held", held}};
}

int64_t FaultStore::add(const json& spec) {
    if (!spec.is_object()) throw ApiError(400, "fault must be a JSON object");
    static const char* allowed[] = {"method",       "path_prefix", "path",     "status",
                                    "headers",      "body",        "raw_body", "raw_body_size",
                                    "content_type", "delay_ms",    "count",    "user"};
    for (const auto& [key, value] : spec.items()) {
        if (std::find(std::begin(allowed), std::end(allowed), key) == std::end(allowed)) {
            throw ApiError(400, "unknown key '" + key + "' in fault");
        }
    }
    Fault fault;
    try {
        fault.method = spec.value("method", "");
        std::transform(fault.method.begin(), fault.method.end(), fault.method.begin(), ::toupper);
        fault.path_prefix = spec.value("path_prefix", "/");
        if (spec.contains("path")) {
            if (spec.contains("path_prefix"))
                throw ApiError(400, "a fault takes path or path_prefix, not both");
            fault.path = spec["path"].get<std::string>();
        }
        if (spec.contains("user") && !spec["user"].is_null())
            fault.user = spec["user"].get<std::string>();
        fault.status = spec.value("status", 0);
        fault.delay_ms = spec.value("delay_ms", int64_t{0});
        fault.remaining = spec.value("count", int64_t{1});
        const json headers = spec.value("headers", json::object());
        if (!headers.is_object()) throw ApiError(400, "fault.headers must be an object");
        for (const auto& [name, value] : headers.items()) {
            fault.headers.emplace_back(name, header_value(value));
        }
        if (spec.contains("raw_body")) {
            fault.body = spec["raw_body"].get<std::string>();
            fault.content_type = "text/plain";
        } else if (spec.contains("raw_body_size")) {
            auto size = spec["raw_body_size"].get<int64_t>();
            if (size < 0 || size > kMaxRawBody) throw ApiError(400, "raw_body_size out of range");
            fault.body.assign(static_cast<size_t>(size), 'x');
            fault.content_type = "application/json";
        } else if (spec.contains("body")) {
            fault.body = spec["body"].dump();
            fault.content_type = "application/json";
        } else if (fault.status >= 400) {
            fault.body = error_body(fault.status, status_text(fault.status)).dump();
            fault.content_type = "application/json";
        }
        fault.content_type = spec.value("content_type", fault.content_type);
    } catch (const json::exception& e) {
        throw ApiError(400, std::string("fault has a field of the wrong type: ") + e.what());
    }
    if (fault.status != 0 && (fault.status < 100 || fault.status > 599)) {
        throw ApiError(400, "fault.status must be 100..599");
    }
    if (fault.status == 0 && fault.delay_ms <= 0) {
        throw ApiError(400, "a fault needs a status, a delay_ms or both");
    }
    if (fault.remaining == 0 || fault.remaining < -1)
        throw ApiError(400, "fault.count must be >= 1 or -1");
    if (fault.delay_ms < 0) throw ApiError(400, "fault.delay_ms must be >= 0");
    std::lock_guard lock(mutex_);
    fault.id = next_id_++;
    faults_.push_back(fault);
    return fault.id;
}

void FaultStore::clear() {
    std::lock_guard lock(mutex_);
    faults_.clear();
}

bool FaultStore::remove(int64_t id) {
    std::lock_guard lock(mutex_);
    auto it =
        std::remove_if(faults_.begin(), faults_.end(), [&](const Fault& f) { return f.id == id; });
    bool found = it != faults_.end();
    faults_.erase(it, faults_.end());
    return found;
}

json FaultStore::list() const {
    std::lock_guard lock(mutex_);
    json out = json::array();
    for (const auto& fault : faults_) out.push_back(fault.to_json());
    return out;
}

std::optional<Fault> FaultStore::take(const std::string& method, const std::string& path,
                                      const std::optional<std::string>& user) {
    std::lock_guard lock(mutex_);
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
        if (!it->method.empty() && it->method != method) continue;
        if (!path.starts_with(it->path_prefix)) continue;
        if (it->path && *it->path != path) continue;
        if (it->user && it->user != user) continue;
        Fault taken = *it;
        if (it->remaining > 0 && --it->remaining == 0) faults_.erase(it);
        return taken;
    }
    return std::nullopt;
}

void FaultStore::holding(int64_t id, int64_t change) {
    std::lock_guard lock(mutex_);
    for (Fault& fault : faults_)
        if (fault.id == id) fault.held += change;
}

std::string redact_urlencoded(const std::string& text) {
    std::string out;
    for (const auto& pair : split(text, '&')) {
        if (!out.empty()) out += '&';
        auto eq = pair.find('=');
        std::string key = url_decode(pair.substr(0, eq), true);
        out +=
            eq != std::string::npos && is_secret_key(key) ? pair.substr(0, eq) + "=REDACTED" : pair;
    }
    return out;
}

void RequestLog::add(LogEntry entry) {
    std::string body = entry.content_type.starts_with("application/x-www-form-urlencoded")
                           ? redact_urlencoded(entry.body)
                           : entry.body;
    if (body.size() > kMaxBody) body.resize(kMaxBody);
    std::lock_guard lock(mutex_);
    entries_.push_back({{"seq", next_seq_++},
                        {"t_ms", entry.t_ms},
                        {"mono_us", entry.mono_us},
                        {"method", entry.method},
                        {"path", entry.path},
                        {"query", redact_urlencoded(entry.query)},
                        {"body", body},
                        {"user", entry.user ? json(*entry.user) : json(nullptr)},
                        {"client_id", entry.client_id ? json(*entry.client_id) : json(nullptr)},
                        {"status", entry.status},
                        {"header_names", entry.header_names}});
    if (entries_.size() > kMaxEntries) entries_.pop_front();
}

json RequestLog::since(int64_t seq) const {
    std::lock_guard lock(mutex_);
    json out = json::array();
    if (entries_.empty()) return out;
    // Sequence numbers are consecutive: start at the first newer entry instead of scanning the
    // whole log under the lock, which every request of the fake waits for to log itself.
    int64_t first = entries_.front()["seq"].get<int64_t>();
    size_t start = static_cast<size_t>(
        std::clamp<int64_t>(seq + 1 - first, 0, static_cast<int64_t>(entries_.size())));
    for (size_t i = start; i < entries_.size(); ++i) out.push_back(entries_[i]);
    return out;
}

void RequestLog::clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
}

}  // namespace fake_spotify
