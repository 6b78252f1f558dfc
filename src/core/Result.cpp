#include "core/Result.h"

namespace s2m {

const char* to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::Network:
            return "network";
        case ErrorKind::Http:
            return "http";
        case ErrorKind::RateLimited:
            return "rate_limited";
        case ErrorKind::Unauthorized:
            return "unauthorized";
        case ErrorKind::BadResponse:
            return "bad_response";
        case ErrorKind::InvalidGrant:
            return "invalid_grant";
        case ErrorKind::NotLinked:
            return "not_linked";
        case ErrorKind::Refused:
            return "refused";
        case ErrorKind::Internal:
            return "internal";
    }
    return "internal";
}

}  // namespace s2m
