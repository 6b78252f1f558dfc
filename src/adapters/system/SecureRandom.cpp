#include "adapters/system/SecureRandom.h"

#include <sys/random.h>

#include <cerrno>
#include <stdexcept>

namespace s2m {

std::string secure_random_bytes(size_t n) {
    std::string bytes(n, '\0');
    size_t filled = 0;
    while (filled < n) {
        ssize_t got = getrandom(bytes.data() + filled, n - filled, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("getrandom failed");
        }
        filled += static_cast<size_t>(got);
    }
    return bytes;
}

}  // namespace s2m
