// RFC 4648 Base64 → bytes, for the test code only: the fake Spotify reads Basic credentials with
// it and the integration tests check the cover the bridge sends. Written apart from the bridge's
// encoder (src/core/Encoding.h) on purpose, so a mistake there cannot hide in both.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace test_common {

// nullopt when `text` holds a character outside the alphabet; stops at the first '='.
inline std::optional<std::string> base64_decode(std::string_view text) {
    static const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=') break;
        size_t index = alphabet.find(c);
        if (index == std::string::npos) return std::nullopt;
        buffer = (buffer << 6) | static_cast<uint32_t>(index);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

}  // namespace test_common
