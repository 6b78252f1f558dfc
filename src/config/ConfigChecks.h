// Checks of single configuration values. Each returns nullopt when the value is fine, else the
// sentence that explains what is wrong, written to follow "<path>: ". Pure, so the adapters can
// reuse split_url to take apart the same URLs the validator accepted.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/Result.h"

namespace s2m {

struct UrlParts {
    std::string scheme;    // lower case, without "://"
    std::string userinfo;  // before '@'; never echoed since it may hold a password
    std::string host;      // without the brackets of an IPv6 literal
    bool host_is_ipv6 = false;
    std::optional<int> port;  // when the URL names one
    std::string path;         // from the first '/' on, query included; may be empty
};

// Splits "scheme://[userinfo@]host[:port][/path]". Accepts any scheme; callers check it. When the
// text is not a URL of this shape, the error (Refused) says why, written to follow "this one ".
Result<UrlParts> split_url(std::string_view url);

bool is_ipv4_literal(std::string_view text);
bool is_ipv6_literal(std::string_view text);

std::optional<std::string> check_mqtt_url(std::string_view url);
std::optional<std::string> check_http_url(std::string_view url);
std::optional<std::string> check_redirect_uri(std::string_view uri);
// A topic prefix we append levels to: no wildcards, no leading/trailing '/', no empty level.
std::optional<std::string> check_topic(std::string_view topic);
std::optional<std::string> check_mqtt_client_id(std::string_view client_id);
// "host:port" with an IPv4 literal or a bracketed IPv6 literal.
std::optional<std::string> check_listen_address(std::string_view listen);
std::optional<std::string> check_account_name(std::string_view name);
// web.setup_code: at least 8 characters a person can type, no spaces. The message never quotes it.
std::optional<std::string> check_setup_code(std::string_view code);
// web.ingress_proxy: one IPv4 or IPv6 literal (no brackets, no port).
std::optional<std::string> check_ip_address(std::string_view address);
// Two spellings of one client address are the same: "::ffff:172.30.32.2" is 172.30.32.2.
std::string plain_ip_address(std::string_view address);
// 127.0.0.0/8, ::1 or an IPv4-mapped 127.x address.
bool is_loopback_address(std::string_view address);

}  // namespace s2m
