#include "AuthorizationCodes.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace fake_spotify {

namespace {
constexpr size_t kCodeBytes = 32;  // 256 bits, 43 characters
}  // namespace

std::string AuthorizationCodes::issue(AuthorizationCode code, int64_t now_ms) {
    forget_expired(now_ms);
    code.expires_at_ms = now_ms + kLifetimeMs;
    std::string value = random_urlsafe(kCodeBytes);
    codes_[value] = std::move(code);
    return value;
}

std::optional<AuthorizationCode> AuthorizationCodes::take(const std::string& code, int64_t now_ms) {
    forget_expired(now_ms);
    auto it = codes_.find(code);
    if (it == codes_.end()) return std::nullopt;
    AuthorizationCode found = std::move(it->second);
    codes_.erase(it);
    return found;
}

std::optional<std::string> AuthorizationCodes::user_of(const std::string& code,
                                                       int64_t now_ms) const {
    auto it = codes_.find(code);
    if (it == codes_.end() || it->second.expires_at_ms <= now_ms) return std::nullopt;
    return it->second.user_id;
}

void AuthorizationCodes::forget_expired(int64_t now_ms) {
    std::erase_if(codes_,
                  [now_ms](const auto& entry) { return entry.second.expires_at_ms <= now_ms; });
}

std::string base64url_encode(std::string_view bytes) {
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (char c : bytes) {
        buffer = (buffer << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(buffer >> bits) & 0x3F];
        }
    }
    if (bits > 0) out += alphabet[(buffer << (6 - bits)) & 0x3F];
    return out;
}

std::string s256_challenge(std::string_view verifier) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(verifier.data(), verifier.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string random_urlsafe(size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
        throw std::runtime_error("no random bytes from OpenSSL");
    }
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(buffer.data()), bytes));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace fake_spotify
