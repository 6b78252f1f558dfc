#include "config/ConfigChecks.h"
#include "core/Encoding.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace s2m {

namespace {

bool is_host_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

// Parses a decimal port; nullopt unless it is 1–65535.
std::optional<int> parse_port(std::string_view text) {
    if (text.empty() || text.size() > 5) return std::nullopt;
    int port = 0;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return std::nullopt;
    return port;
}

std::string with_port(const UrlParts& parts) {
    return parts.port ? ":" + std::to_string(*parts.port) : std::string();
}

}  // namespace

Result<UrlParts> split_url(std::string_view url) {
    auto not_a_url = [](std::string why) { return Error{ErrorKind::Refused, std::move(why)}; };
    UrlParts parts;
    size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos || scheme_end == 0) {
        return not_a_url("is not a URL (expected SCHEME://HOST…)");
    }
    parts.scheme = ascii_lowercase(url.substr(0, scheme_end));
    std::string_view rest = url.substr(scheme_end + 3);
    size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
    std::string_view authority = rest.substr(0, authority_end);
    parts.path = std::string(rest.substr(authority_end));

    if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
        parts.userinfo = std::string(authority.substr(0, at));
        authority = authority.substr(at + 1);
    }
    std::string_view port_text;
    bool has_port = false;
    if (authority.starts_with('[')) {
        size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            return not_a_url("has an IPv6 address without its closing ']'");
        }
        parts.host = std::string(authority.substr(1, close - 1));
        parts.host_is_ipv6 = true;
        std::string_view after = authority.substr(close + 1);
        if (!after.empty() && after[0] != ':') {
            return not_a_url("has unexpected text after the IPv6 address");
        }
        has_port = !after.empty();
        if (has_port) port_text = after.substr(1);
    } else {
        size_t colon = authority.find(':');
        if (colon != std::string_view::npos &&
            authority.find(':', colon + 1) != std::string_view::npos) {
            return not_a_url(
                "has more than one ':' in its host; write IPv6 addresses in brackets, "
                "e.g. [::1]");
        }
        has_port = colon != std::string_view::npos;
        parts.host = std::string(authority.substr(0, colon));
        if (has_port) port_text = authority.substr(colon + 1);
    }

    if (parts.host.empty()) return not_a_url("has no host");
    if (parts.host_is_ipv6
            ? !is_ipv6_literal(parts.host)
            : !std::all_of(parts.host.begin(), parts.host.end(), is_host_name_char)) {
        return not_a_url("has a host (`" + parts.host +
                         "`) that is not a valid host name or address");
    }
    if (has_port) {
        parts.port = parse_port(port_text);
        if (!parts.port) {
            return not_a_url("has a port (`" + std::string(port_text) +
                             "`) that is not a number from 1 to 65535");
        }
    }
    return parts;
}

bool is_ipv4_literal(std::string_view text) {
    in_addr address{};
    return inet_pton(AF_INET, std::string(text).c_str(), &address) == 1;
}

bool is_ipv6_literal(std::string_view text) {
    in6_addr address{};
    return inet_pton(AF_INET6, std::string(text).c_str(), &address) == 1;
}

std::optional<std::string> check_mqtt_url(std::string_view url) {
    // The URL itself is never echoed: it may carry credentials.
    const std::string shape = "must look like mqtt://HOST[:PORT] or mqtts://HOST[:PORT]";
    Result<UrlParts> split = split_url(url);
    if (!split) return shape + "; this one " + split.error().message;
    const UrlParts& parts = split.value();
    if (parts.scheme != "mqtt" && parts.scheme != "mqtts") {
        return "uses the scheme `" + parts.scheme +
               "://`; use mqtt:// for plain MQTT or mqtts:// for MQTT over TLS";
    }
    if (!parts.userinfo.empty()) {
        return "must not contain credentials; put them in mqtt.username and mqtt.password";
    }
    if (!parts.path.empty() && parts.path != "/") {
        return shape + "; this one has a path, which MQTT over TCP does not use";
    }
    return std::nullopt;
}

std::optional<std::string> check_http_url(std::string_view url) {
    Result<UrlParts> split = split_url(url);
    if (!split) return "must be an http:// or https:// URL; this one " + split.error().message;
    const UrlParts& parts = split.value();
    if (parts.scheme != "http" && parts.scheme != "https") {
        return "must be an http:// or https:// URL, not " + parts.scheme + "://";
    }
    if (!parts.userinfo.empty()) return "must not contain credentials";
    // Tokens and the client secret travel to these URLs: unencrypted only to this machine (a
    // fake Spotify for tests and the demo).
    bool loopback = parts.host_is_ipv6 ? parts.host == "::1"
                                       : parts.host.starts_with("127.") ||
                                             ascii_lowercase(parts.host) == "localhost";
    if (parts.scheme == "http" && !loopback && !parts.host.empty()) {
        return "uses plain http:// to `" + parts.host +
               "`, so tokens and the client secret would cross the network unencrypted; use "
               "https:// (plain http is accepted only on a loopback address, for a test server)";
    }
    return std::nullopt;
}

std::optional<std::string> check_redirect_uri(std::string_view uri) {
    const std::string example = "http://127.0.0.1:8888/callback";
    Result<UrlParts> split = split_url(uri);
    if (!split) {
        return "must look like " + example + " or https://HOST/PATH; this one " +
               split.error().message;
    }
    const UrlParts& parts = split.value();
    if (parts.scheme != "http" && parts.scheme != "https") {
        return "must be an https:// URL or http:// with a loopback IP address, e.g. " + example;
    }
    if (!parts.userinfo.empty()) return "must not contain credentials";
    std::string path = parts.path.empty() ? "/callback" : parts.path;
    if (parts.scheme == "http") {
        if (ascii_lowercase(parts.host) == "localhost") {
            return "uses `localhost`, which Spotify refuses in redirect URIs; use the loopback IP "
                   "address instead: http://127.0.0.1" +
                   with_port(parts) + path + " (and register that exact URI in your Spotify app)";
        }
        bool loopback = parts.host_is_ipv6 ? parts.host == "::1" : parts.host == "127.0.0.1";
        if (!loopback) {
            return "uses http:// with the host `" + parts.host +
                   "`; Spotify accepts plain http only for the loopback addresses 127.0.0.1 and "
                   "[::1], so use https:// or http://127.0.0.1" +
                   with_port(parts) + path;
        }
    }
    if (parts.path.empty() || parts.path == "/") {
        return "needs a path such as /callback: the account page lives at / and the OAuth "
               "callback is served at this path";
    }
    return std::nullopt;
}

std::optional<std::string> check_topic(std::string_view topic) {
    if (topic.empty()) return "must not be empty";
    if (topic.find_first_of("+#") != std::string_view::npos) {
        return "must not contain the MQTT wildcards + or # (`" + std::string(topic) + "`)";
    }
    if (topic.find('\0') != std::string_view::npos) return "must not contain a NUL character";
    if (std::any_of(topic.begin(), topic.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
        return "must not contain a control character (a line break, a tab, …)";
    }
    if (topic.front() == '$') {
        return "must not start with '$' (`" + std::string(topic) +
               "`): the broker keeps such topics (like $SYS) for itself and refuses what clients "
               "publish there, so nothing would show on MQTT";
    }
    if (topic.front() == '/' || topic.back() == '/') {
        return "must not start or end with '/' (`" + std::string(topic) +
               "`); that would add an empty topic level";
    }
    if (topic.find("//") != std::string_view::npos) {
        return "must not contain an empty topic level (`//` in `" + std::string(topic) + "`)";
    }
    return std::nullopt;
}

std::optional<std::string> check_mqtt_client_id(std::string_view client_id) {
    if (client_id.empty()) return "must not be empty: the broker keeps our session under this id";
    if (std::any_of(client_id.begin(), client_id.end(),
                    [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; })) {
        return "must not contain spaces";
    }
    return std::nullopt;
}

std::optional<std::string> check_listen_address(std::string_view listen) {
    const std::string shape =
        "must be IP:PORT, e.g. 127.0.0.1:8888, 0.0.0.0:8888 (all interfaces) or [::1]:8888, or "
        "null to disable the web page";
    // Reuses the host/port rules of URLs; a scheme is added only to fit their shape.
    Result<UrlParts> split = split_url("listen://" + std::string(listen));
    if (!split) return shape + "; this one " + split.error().message;
    const UrlParts& parts = split.value();
    if (!parts.userinfo.empty() || !parts.path.empty()) return shape;
    if (ascii_lowercase(parts.host) == "localhost") {
        return "uses `localhost`; write the address instead, e.g. 127.0.0.1" + with_port(parts);
    }
    if (!parts.host_is_ipv6 && !is_ipv4_literal(parts.host)) {
        return shape + "; `" + parts.host + "` is not an IP address";
    }
    if (!parts.port) return shape + "; this one has no port";
    return std::nullopt;
}

std::optional<std::string> check_account_name(std::string_view name) {
    if (name.empty()) return "must not be empty";
    if (name.size() > 32) {
        return "is " + std::to_string(name.size()) + " characters long; the limit is 32";
    }
    auto allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    };
    if (!std::all_of(name.begin(), name.end(), allowed)) {
        return "`" + std::string(name) +
               "` may only contain lower-case letters, digits, '_' and '-' (it becomes part of "
               "MQTT topics)";
    }
    if (name == "bridge") return "`bridge` is reserved for the bridge's own topics";
    return std::nullopt;
}

std::optional<std::string> check_setup_code(std::string_view code) {
    if (code.size() < 8) {
        return "is shorter than 8 characters; a setup code guards linking and unlinking from "
               "other machines, so make it one nobody guesses";
    }
    if (code.size() > 128) return "is longer than 128 characters";
    if (std::any_of(code.begin(), code.end(), [](char c) {
            return std::isspace(static_cast<unsigned char>(c)) != 0 ||
                   std::iscntrl(static_cast<unsigned char>(c)) != 0;
        })) {
        return "must not contain spaces or control characters";
    }
    return std::nullopt;
}

std::optional<std::string> check_ip_address(std::string_view address) {
    if (is_ipv4_literal(address) || is_ipv6_literal(address)) return std::nullopt;
    return "must be one IP address such as 172.30.32.2, not \"" + std::string(address) + "\"";
}

std::string plain_ip_address(std::string_view address) {
    std::string text = ascii_lowercase(address);
    if (text.starts_with("::ffff:") && is_ipv4_literal(text.substr(7))) return text.substr(7);
    return text;
}

bool is_loopback_address(std::string_view address) {
    std::string text = ascii_lowercase(address);
    if (text.starts_with('[') && text.ends_with(']')) text = text.substr(1, text.size() - 2);
    if (text == "::1") return true;
    if (text.starts_with("::ffff:")) text = text.substr(7);
    return is_ipv4_literal(text) && text.starts_with("127.");
}

}  // namespace s2m
