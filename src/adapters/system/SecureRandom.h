// Cryptographically secure random bytes from the kernel (getrandom(2)), for OAuth `state` values
// and PKCE verifiers.
#pragma once

#include <cstddef>
#include <string>

namespace s2m {

// Throws std::runtime_error if the kernel cannot deliver (never expected on Linux ≥ 3.17).
std::string secure_random_bytes(size_t n);

}  // namespace s2m
